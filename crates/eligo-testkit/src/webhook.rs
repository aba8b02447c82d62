//! A webhook receiver on loopback for tests of code that POSTs notifications: it answers with
//! the statuses it was given in turn (the last one sticky) and keeps each request's headers and
//! body.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request as received: header names lower-cased, the body as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedHook {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl ReceivedHook {
    /// The first value of a header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// The receiver; it runs until the test process ends.
pub struct WebhookReceiver {
    /// Where to POST (`http://127.0.0.1:PORT/hook`).
    pub url: String,
    received: Arc<Mutex<Vec<ReceivedHook>>>,
}

impl WebhookReceiver {
    /// A receiver answering `statuses` in turn, the last one to every later request.
    pub fn start(statuses: Vec<u16>) -> WebhookReceiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}/hook", listener.local_addr().expect("a bound address"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&received);
        std::thread::spawn(move || {
            for (n, stream) in listener.incoming().enumerate() {
                let Ok(mut stream) = stream else { continue };
                let Some(hook) = read_request(&mut stream) else { continue };
                kept.lock().unwrap_or_else(|p| p.into_inner()).push(hook);
                let status = statuses.get(n).or(statuses.last()).copied().unwrap_or(200);
                let _ = write!(stream, "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            }
        });
        WebhookReceiver { url, received }
    }

    /// Every request so far, in order.
    pub fn received(&self) -> Vec<ReceivedHook> {
        self.received.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The requests, waiting up to `timeout` for at least `count`.
    pub fn wait_for(&self, count: usize, timeout: Duration) -> Vec<ReceivedHook> {
        let started = Instant::now();
        loop {
            let received = self.received();
            if received.len() >= count || started.elapsed() > timeout {
                return received;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn read_request(stream: &mut std::net::TcpStream) -> Option<ReceivedHook> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut headers = Vec::new();
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
        line.clear();
    }
    let length = headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok());
    let mut body = vec![0; length.unwrap_or(0)];
    reader.read_exact(&mut body).ok()?;
    Some(ReceivedHook { headers, body })
}

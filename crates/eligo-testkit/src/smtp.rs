//! A small SMTP server on loopback that keeps what it receives, for tests of code that sends
//! mail. It speaks the part of RFC 5321 a client needs to hand over a message (EHLO/HELO, MAIL,
//! RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT); it can refuse recipients with a 550 to
//! test permanent failures, and be told to stall after accepting a number of messages.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// One message as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    /// The message (headers and body) with CRLF line ends, dot-unstuffed.
    pub data: Vec<u8>,
}

struct State {
    received: Mutex<Vec<ReceivedMail>>,
    refuse_recipients: AtomicBool,
    /// Messages after which every further one is kept but never acknowledged (until `resume`).
    stall_after: AtomicUsize,
    stop: AtomicBool,
}

impl Default for State {
    fn default() -> Self {
        State {
            received: Mutex::default(),
            refuse_recipients: AtomicBool::new(false),
            stall_after: AtomicUsize::new(usize::MAX),
            stop: AtomicBool::new(false),
        }
    }
}

impl State {
    fn stalled(&self) -> bool {
        let received = self.received.lock().map(|r| r.len()).unwrap_or(0);
        received > self.stall_after.load(Ordering::Relaxed) && !self.stop.load(Ordering::Relaxed)
    }
}

/// The server; stops accepting when dropped.
pub struct SmtpServer {
    addr: SocketAddr,
    state: Arc<State>,
}

impl SmtpServer {
    /// Binds `127.0.0.1:0` and serves on a background thread. Panics if loopback cannot be bound.
    pub fn start() -> SmtpServer {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let addr = listener.local_addr().expect("listener address");
        let state = Arc::new(State::default());
        let shared = Arc::clone(&state);
        thread::spawn(move || {
            while !shared.stop.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let session = Arc::clone(&shared);
                        thread::spawn(move || {
                            let _ = serve(stream, &session);
                        });
                    }
                    Err(_) => thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        SmtpServer { addr, state }
    }

    /// `127.0.0.1:PORT`.
    pub fn host_port(&self) -> String {
        self.addr.to_string()
    }

    /// Messages received so far, in order.
    pub fn received(&self) -> Vec<ReceivedMail> {
        self.state.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// After `count` messages in all, keep each further message but never acknowledge its `DATA`
    /// (the sender cannot tell whether it arrived) until [`SmtpServer::resume`]: a sender killed
    /// meanwhile has sent a message it could not record as sent.
    pub fn stall_after(&self, count: usize) {
        self.state.stall_after.store(count, Ordering::Relaxed);
    }

    /// Acknowledges again, the stalled messages included.
    pub fn resume(&self) {
        self.state.stall_after.store(usize::MAX, Ordering::Relaxed);
    }

    /// From now on, answer every `RCPT TO` with `550 mailbox unavailable`.
    pub fn refuse_recipients(&self) {
        self.state.refuse_recipients.store(true, Ordering::Relaxed);
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::Relaxed);
    }
}

fn serve(stream: TcpStream, state: &State) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    writer.write_all(b"220 eligo-testkit ESMTP\r\n")?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_string();
        let verb = command.split([' ', ':']).next().unwrap_or_default().to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-eligo-testkit\r\n250 8BITMIME\r\n",
            "HELO" | "NOOP" => b"250 OK\r\n",
            "RSET" => {
                (from, to) = (String::new(), Vec::new());
                b"250 OK\r\n"
            }
            "MAIL" => {
                from = address_of(&command);
                b"250 OK\r\n"
            }
            "RCPT" if state.refuse_recipients.load(Ordering::Relaxed) => b"550 5.1.1 mailbox unavailable\r\n",
            "RCPT" => {
                to.push(address_of(&command));
                b"250 OK\r\n"
            }
            "DATA" => {
                writer.write_all(b"354 end with <CRLF>.<CRLF>\r\n")?;
                let data = read_data(&mut reader)?;
                let mail = ReceivedMail { from: std::mem::take(&mut from), to: std::mem::take(&mut to), data };
                if let Ok(mut received) = state.received.lock() {
                    received.push(mail);
                }
                while state.stalled() {
                    thread::sleep(Duration::from_millis(20));
                }
                b"250 OK queued\r\n"
            }
            "QUIT" => {
                writer.write_all(b"221 bye\r\n")?;
                return Ok(());
            }
            _ => b"502 command not implemented\r\n",
        };
        writer.write_all(reply)?;
    }
}

fn address_of(command: &str) -> String {
    let start = command.find('<').map_or(0, |i| i + 1);
    let end = command.rfind('>').unwrap_or(command.len());
    command.get(start..end).unwrap_or_default().to_string()
}

/// Lines up to the lone `.`, dot-unstuffed.
fn read_data(reader: &mut impl BufRead) -> std::io::Result<Vec<u8>> {
    let mut data = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(data);
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(data);
        }
        let unstuffed = if line.starts_with(b"..") { &line[1..] } else { &line[..] };
        data.extend_from_slice(unstuffed);
    }
}

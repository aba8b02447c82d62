//! The sync client over TLS, against a rustls server on loopback whose
//! certificates the test makes with rcgen: a server certified by the CA the
//! client was told to trust is read; one certified by another CA, or for
//! another host name, is refused before any request is sent.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use eligo_ctgov::sync::{ClientConfig, SyncClient, SyncError, SyncQuery};
use eligo_testkit::fixture;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A certificate authority of the test's own.
fn make_ca() -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// A server certificate for `host`, signed by `ca`, with its key.
fn server_cert(
    ca: &CertifiedIssuer<'static, KeyPair>,
    host: &str,
) -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec![host.to_owned()]).unwrap().signed_by(&key, ca).unwrap();
    (cert.der().clone(), PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())))
}

/// A TLS server on 127.0.0.1 answering every request with the last recorded
/// API page. Counts the requests that got through the handshake.
struct TlsServer {
    port: u16,
    served: Arc<AtomicUsize>,
}

impl TlsServer {
    fn start(cert: CertificateDer<'static>, key: PrivateKeyDer<'static>) -> Self {
        // ring, the provider ureq's `rustls` feature uses (rustls 0.23.48
        // deprecates it in favour of aws-lc-rs for post-quantum key exchange,
        // which a loopback test does not need).
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let served = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&served);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let config = Arc::clone(&config);
                let counter = Arc::clone(&counter);
                thread::spawn(move || serve_one(stream, config, &counter));
            }
        });
        TlsServer { port, served }
    }

    fn client(&self, ca_pem: Option<String>) -> Result<SyncClient, SyncError> {
        SyncClient::new(ClientConfig {
            base_url: format!("https://127.0.0.1:{}/api/v2", self.port),
            min_interval: Duration::ZERO,
            max_retries: 2,
            initial_backoff: Duration::from_millis(5),
            timeout: Duration::from_secs(5),
            ca_cert_pem: ca_pem.map(String::into_bytes),
            ..Default::default()
        })
    }
}

fn serve_one(stream: std::net::TcpStream, config: Arc<rustls::ServerConfig>, served: &AtomicUsize) {
    let Ok(connection) = rustls::ServerConnection::new(config) else { return };
    let mut tls = rustls::StreamOwned::new(connection, stream);
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match tls.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return, // handshake refused by the client, or the connection closed
        }
    }
    served.fetch_add(1, Ordering::SeqCst);
    let body = fixture("ctgov_page3.json");
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tls.write_all(answer.as_bytes());
    tls.conn.send_close_notify();
    let _ = tls.flush();
}

fn query() -> SyncQuery {
    SyncQuery { condition: Some("lupus".into()), page_size: 3, ..Default::default() }
}

#[test]
fn a_server_certified_by_the_trusted_ca_is_read() {
    let ca = make_ca();
    let (cert, key) = server_cert(&ca, "127.0.0.1");
    let server = TlsServer::start(cert, key);
    let page = server.client(Some(ca.pem())).unwrap().fetch_page(&query(), None).expect("TLS page");
    assert!(page.uri.starts_with("https://127.0.0.1:"), "{}", page.uri);
    assert!(!page.records.is_empty());
    assert!(page.records.iter().all(Result::is_ok));
    assert_eq!(server.served.load(Ordering::SeqCst), 1);
}

#[test]
fn a_certificate_from_an_untrusted_ca_is_refused_without_retrying() {
    let (trusted, other) = (make_ca(), make_ca());
    let (cert, key) = server_cert(&other, "127.0.0.1");
    let server = TlsServer::start(cert, key);
    let err = server.client(Some(trusted.pem())).unwrap().fetch_page(&query(), None).unwrap_err();
    assert!(matches!(err, SyncError::Tls { attempts: 1, .. }), "{err:?}");
    assert!(err.to_string().contains("TLS failed"), "{err}");
    assert_eq!(server.served.load(Ordering::SeqCst), 0, "no request may pass a refused handshake");
}

#[test]
fn the_bundled_roots_do_not_trust_a_private_ca() {
    let ca = make_ca();
    let (cert, key) = server_cert(&ca, "127.0.0.1");
    let server = TlsServer::start(cert, key);
    let err = server.client(None).unwrap().fetch_page(&query(), None).unwrap_err();
    assert!(matches!(err, SyncError::Tls { .. }), "{err:?}");
    assert_eq!(server.served.load(Ordering::SeqCst), 0);
}

#[test]
fn a_certificate_for_another_host_is_refused() {
    let ca = make_ca();
    let (cert, key) = server_cert(&ca, "registry.example.org");
    let server = TlsServer::start(cert, key);
    let err = server.client(Some(ca.pem())).unwrap().fetch_page(&query(), None).unwrap_err();
    assert!(matches!(err, SyncError::Tls { .. }), "{err:?}");
    assert_eq!(server.served.load(Ordering::SeqCst), 0);
}

#[test]
fn a_ca_file_without_a_certificate_is_a_clear_error() {
    let config = ClientConfig { ca_cert_pem: Some(b"not a certificate\n".to_vec()), ..Default::default() };
    let err = SyncClient::new(config).unwrap_err();
    assert!(matches!(err, SyncError::CaCert { .. }), "{err:?}");
    assert!(err.to_string().contains("CERTIFICATE"), "{err}");
}

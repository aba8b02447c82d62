//! Optional TLS serving: a server given a certificate (made here with rcgen, signed by a CA of
//! the test's own) answers HTTPS to a client that trusts that CA, and refuses plain HTTP.

use std::net::SocketAddr;
use std::sync::mpsc;

use eligo_server::{AppState, Limits};

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};

struct Pki {
    ca_pem: String,
    cert_pem: String,
    key_pem: String,
}

fn make_pki(host: &str) -> Pki {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec![host.to_owned()]).unwrap().signed_by(&key, &ca).unwrap();
    Pki { ca_pem: ca.pem(), cert_pem: cert.pem(), key_pem: key.serialize_pem() }
}

#[test]
fn a_server_with_a_certificate_answers_https_and_refuses_plain_http() {
    let dir = tempfile::tempdir().unwrap();
    let pki = make_pki("127.0.0.1");
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, &pki.cert_pem).unwrap();
    std::fs::write(&key, &pki.key_pem).unwrap();
    let tls = eligo_server::listen::tls_acceptor(&cert, &key).expect("the PEM files make a TLS configuration");

    let db = dir.path().join("eligo.db");
    let store = eligo_store::open_store(&format!("sqlite:{}", db.display())).unwrap();
    let index = eligo_search::SearchIndex::open(&dir.path().join("search-index")).unwrap();
    let state = AppState::new(store, index, Limits::default());
    let (ready_tx, ready_rx) = mpsc::channel::<SocketAddr>();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
        runtime
            .block_on(eligo_server::serve_with_tls(state, addr, Some(tls), move |bound| {
                let _ = ready_tx.send(bound);
            }))
            .unwrap();
    });
    let port = ready_rx.recv().expect("the server starts").port();

    let roots = ureq::tls::parse_pem(pki.ca_pem.as_bytes())
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(cert)) => Some(cert),
            _ => None,
        })
        .collect::<Vec<_>>();
    let tls_config = ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::new_with_certs(&roots)).build();
    let agent: ureq::Agent = ureq::Agent::config_builder().tls_config(tls_config).build().into();
    let mut reply = agent.get(format!("https://127.0.0.1:{port}/api/v1/healthz")).call().expect("HTTPS works");
    assert_eq!(reply.status(), 200);
    let body = reply.body_mut().read_to_string().unwrap();
    assert!(body.contains("\"status\":\"ok\""), "{body}");
    assert_eq!(reply.headers().get("x-content-type-options").unwrap(), "nosniff");

    let plain: ureq::Agent =
        ureq::Agent::config_builder().timeout_global(Some(std::time::Duration::from_secs(5))).build().into();
    assert!(plain.get(format!("http://127.0.0.1:{port}/api/v1/healthz")).call().is_err(), "plain HTTP is not served");
    // A client that does not trust the certificate is refused before any request is sent.
    assert!(ureq::get(format!("https://127.0.0.1:{port}/api/v1/healthz")).call().is_err());
}

#[test]
fn unreadable_pem_files_are_refused_with_their_path() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, "not a certificate").unwrap();
    std::fs::write(&key, make_pki("127.0.0.1").key_pem).unwrap();
    let error = eligo_server::listen::tls_acceptor(&cert, &key).err().expect("no certificate in it");
    assert!(error.to_string().contains("cert.pem"), "{error}");
    let missing = eligo_server::listen::tls_acceptor(&dir.path().join("absent.pem"), &key).err().expect("no file");
    assert!(missing.to_string().contains("absent.pem"), "{missing}");
}

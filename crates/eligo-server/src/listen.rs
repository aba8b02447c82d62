//! The listener: accepts connections up to a cap and serves each with a deadline for its request
//! headers, so that slow or idle clients cannot hold the server's connections.
//!
//! `axum::serve` has neither (a client sending one header byte a minute keeps its connection and
//! its task forever), so connections are served here with hyper's own builder: HTTP/1 with
//! `header_read_timeout` (which also closes a keep-alive connection that sends no next request in
//! time), HTTP/2 with keep-alive pings, and a semaphore on open connections; a connection past
//! the cap is closed at once. Shutdown is graceful: connections finish their requests. With a
//! certificate, connections are TLS (rustls, HTTP/2 or HTTP/1.1 by ALPN), for deployments with no
//! proxy in front. Every request carries its client's address (`ConnectInfo`), which the
//! per-client rate limits key on.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use hyper_util::service::TowerToHyperService;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// The listener's limits (a part of [`crate::Limits`]).
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Open connections at most; more are closed as they arrive.
    pub max_connections: usize,
    /// Time a client has to send a request's headers, and a kept-alive connection to start its
    /// next request.
    pub header_read_timeout: Duration,
}

/// Serves `app` on `listener` until `shutdown` completes, then lets open connections finish.
/// With `tls`, every connection must complete a TLS handshake (within the header timeout) first.
pub async fn serve_connections(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    tls: Option<TlsAcceptor>,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let open = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
    builder.http2().timer(TokioTimer::new()).keep_alive_interval(limits.header_read_timeout);
    let builder = Arc::new(builder);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer): (_, SocketAddr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait a moment rather than spin.
                Err(_) => { tokio::time::sleep(Duration::from_millis(50)).await; continue; }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = Arc::clone(&open).try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let connection =
            Connection { builder: Arc::clone(&builder), app: app.clone(), peer, watcher: graceful.watcher() };
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                None => connection.serve(stream).await,
                // The handshake runs here, on the connection's own task, so a slow one holds up
                // nobody else; one that takes longer than the header timeout is dropped.
                Some(acceptor) => {
                    if let Ok(Ok(stream)) =
                        tokio::time::timeout(limits.header_read_timeout, acceptor.accept(stream)).await
                    {
                        connection.serve(stream).await;
                    }
                }
            }
            drop(permit);
        });
    }
    graceful.shutdown().await;
}

/// What serving one accepted connection needs.
struct Connection {
    builder: Arc<Builder<TokioExecutor>>,
    app: Router,
    peer: SocketAddr,
    watcher: Watcher,
}

impl Connection {
    /// Serves HTTP on `stream` until the client is done (or shutdown), giving every request the
    /// client's address (`ConnectInfo`) for the per-client rate limits.
    async fn serve<IO>(self, stream: IO)
    where
        IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        let Connection { builder, app, peer, watcher } = self;
        let app = app.map_request(move |mut request: axum::http::Request<_>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        });
        let service = TowerToHyperService::new(app);
        let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
        // A connection ends with an error when its client is slow or goes away: not ours.
        let _ = watcher.watch(connection).await;
    }
}

/// A TLS server configuration from PEM files: the certificate chain (leaf first) and its private
/// key (PKCS#8, PKCS#1 or SEC1). Served over HTTP/2 and HTTP/1.1 (ALPN).
pub fn tls_acceptor(cert_pem: &Path, key_pem: &Path) -> Result<TlsAcceptor, TlsSetupError> {
    let read_error = |path: &Path| {
        let path = path.display().to_string();
        move |error: rustls::pki_types::pem::Error| TlsSetupError::Pem { path, reason: error.to_string() }
    };
    let certs = CertificateDer::pem_file_iter(cert_pem)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(read_error(cert_pem))?;
    if certs.is_empty() {
        return Err(TlsSetupError::Pem { path: cert_pem.display().to_string(), reason: "no certificate in it".into() });
    }
    let key = PrivateKeyDer::from_pem_file(key_pem).map_err(read_error(key_pem))?;
    // ring, as everywhere else in Eligo (rustls deprecates it in favour of aws-lc-rs, whose C
    // build a loopback-or-proxy deployment does not need).
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|builder| builder.with_no_client_auth().with_single_cert(certs, key))
        .map_err(|error| TlsSetupError::Config(error.to_string()))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// Why TLS serving could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    #[error("reading {path}: {reason}")]
    Pem { path: String, reason: String },
    #[error("the certificate and key do not make a TLS configuration: {0}")]
    Config(String),
}

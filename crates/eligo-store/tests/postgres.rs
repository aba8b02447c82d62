//! The store's conformance suite on PostgreSQL, on a server the test starts itself
//! (`eligo_testkit::postgres`). Without PostgreSQL binaries the test says so and passes, unless
//! `ELIGO_REQUIRE_PG=1` (CI sets it), where a server that does not start fails the test.

mod conformance;

use std::sync::atomic::{AtomicUsize, Ordering};

use eligo_testkit::postgres::PostgresServer;

/// Fresh stores: a new database on the test's server for each.
struct Postgres {
    server: PostgresServer,
    made: AtomicUsize,
}

impl conformance::Backend for Postgres {
    fn fresh(&self) -> String {
        let name = format!("eligo_{}", self.made.fetch_add(1, Ordering::Relaxed));
        let mut admin = postgres::Client::connect(&self.server.url("postgres"), postgres::NoTls)
            .unwrap_or_else(|e| panic!("connecting to the test server: {e}"));
        admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        self.server.url(&name)
    }
}

fn server() -> Option<PostgresServer> {
    PostgresServer::for_test()
}

#[test]
fn every_property_holds_on_postgresql() {
    let Some(server) = server() else { return };
    conformance::check_every_property(&Postgres { server, made: AtomicUsize::new(0) });
}

#[test]
fn a_database_from_a_newer_eligo_is_refused() {
    let Some(server) = server() else { return };
    let backend = Postgres { server, made: AtomicUsize::new(0) };
    let location = conformance::Backend::fresh(&backend);
    drop(eligo_store::open_store(&location).unwrap());
    let mut client = postgres::Client::connect(&location, postgres::NoTls).unwrap();
    client.batch_execute("UPDATE eligo_schema SET version = 99").unwrap();
    assert!(matches!(eligo_store::open_store(&location), Err(eligo_store::StoreError::SchemaTooNew { found: 99, .. })));
}

#[test]
fn a_password_in_the_url_is_not_repeated_in_errors() {
    let error =
        eligo_store::open_store("postgres://eligo:hunter2@127.0.0.1:1/none").err().expect("nothing listens on port 1");
    assert!(!error.to_string().contains("hunter2"), "{error}");
}

//! How big a store's trial bodies are as JSON and compressed at several zstd levels, and what
//! compressing and decompressing costs per trial (the store's `codec` uses level 3).
//!
//! `cargo run --release -p eligo-store --example body_codec -- DATA_DIR`
//!
//! Reads `DATA_DIR/eligo.db` directly (bodies as stored, compressed or not), so it measures the
//! records an ingest really wrote, parsed criteria included.

use std::time::Instant;

type AnyResult<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> AnyResult<()> {
    let dir = std::env::args().nth(1).ok_or("usage: body_codec DATA_DIR")?;
    let db = rusqlite::Connection::open(std::path::Path::new(&dir).join("eligo.db"))?;
    let bodies = json_bodies(&db)?;
    let json_bytes: usize = bodies.iter().map(Vec::len).sum();
    let pages: i64 = db.query_row("PRAGMA page_count", [], |row| row.get(0))?;
    let page_size: i64 = db.query_row("PRAGMA page_size", [], |row| row.get(0))?;
    let n = bodies.len().max(1);
    println!("{} trials; database file {:.1} MB", bodies.len(), (pages * page_size) as f64 / 1e6);
    println!("JSON bodies: {:.1} MB, {} bytes per trial", json_bytes as f64 / 1e6, json_bytes / n);
    for level in [1, 3, 9, 19] {
        measure(&bodies, level)?;
    }
    Ok(())
}

/// Every current body as JSON (decompressed when the store compressed it).
fn json_bodies(db: &rusqlite::Connection) -> AnyResult<Vec<Vec<u8>>> {
    let mut stmt = db.prepare("SELECT body FROM trials")?;
    let mut rows = stmt.query([])?;
    let mut bodies = Vec::new();
    while let Some(row) = rows.next()? {
        let body = row.get_ref(0)?.as_bytes()?;
        bodies.push(match body.first() {
            Some(b'{') => body.to_vec(),
            _ => zstd::decode_all(body)?,
        });
    }
    Ok(bodies)
}

fn measure(bodies: &[Vec<u8>], level: i32) -> AnyResult<()> {
    let mut compressor = zstd::bulk::Compressor::new(level)?;
    let started = Instant::now();
    let compressed = bodies.iter().map(|body| compressor.compress(body)).collect::<Result<Vec<_>, _>>()?;
    let encode = started.elapsed();
    let mut decompressor = zstd::bulk::Decompressor::new()?;
    let started = Instant::now();
    for (body, original) in compressed.iter().zip(bodies) {
        decompressor.decompress(body, original.len())?;
    }
    let decode = started.elapsed();
    let (n, bytes) = (bodies.len().max(1) as f64, compressed.iter().map(Vec::len).sum::<usize>());
    let json: usize = bodies.iter().map(Vec::len).sum();
    println!(
        "zstd {level:>2}: {:.1} MB ({:.0} bytes per trial, {:.1}x smaller); compress {:.1} us, decompress {:.1} us per trial",
        bytes as f64 / 1e6,
        bytes as f64 / n,
        json as f64 / bytes.max(1) as f64,
        encode.as_secs_f64() * 1e6 / n,
        decode.as_secs_f64() * 1e6 / n,
    );
    Ok(())
}

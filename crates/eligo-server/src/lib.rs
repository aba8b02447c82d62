//! HTTP API and web pages (axum).

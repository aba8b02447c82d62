//! Test support: a replaying HTTP server on loopback (being written).

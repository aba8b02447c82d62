//! The registry service: ingest pipeline, merge, linking and index upkeep over the store and the index.

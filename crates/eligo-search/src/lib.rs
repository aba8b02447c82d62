//! Full-text and faceted trial search over a tantivy index.

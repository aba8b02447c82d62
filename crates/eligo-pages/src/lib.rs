//! Trial-listing web pages and publications: extraction into trial and publication records.

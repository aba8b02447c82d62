//! Merging records of one trial from several sources, and linking trials to publications.

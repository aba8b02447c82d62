//! Eligibility criteria engine: segmentation, entity extraction and computable criteria.

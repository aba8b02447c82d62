//! Gazetteer of world cities and great-circle distance, for 'near PLACE' queries.

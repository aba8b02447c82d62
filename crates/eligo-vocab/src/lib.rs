//! Vocabulary: concepts, synonyms, hierarchy and units, from public-domain sources; fast mention matching.

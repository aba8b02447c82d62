//! Patient-trial matching: patient facts, criterion evaluation, verdicts, ranking and questions.

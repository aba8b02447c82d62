//! Running the real `eligo` binary against a temporary data directory.

#![allow(dead_code)] // each test file uses a different part of this module

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

pub struct Eligo {
    pub data: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Eligo {
    pub fn new() -> Self {
        Eligo { data: tempfile::tempdir().expect("temp dir") }
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_input(args, None)
    }

    pub fn run_with_input(&self, args: &[&str], input: Option<&[u8]>) -> Run {
        let mut child = Command::new(env!("CARGO_BIN_EXE_eligo"))
            .arg("--data-dir")
            .arg(self.data.path())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("eligo runs");
        if let Some(input) = input {
            child.stdin.take().unwrap().write_all(input).unwrap();
        }
        drop(child.stdin.take());
        child.wait_with_output().expect("eligo finishes").into()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.data.path().join(name)
    }
}

/// A ClinicalTrials.gov API v2 study with the fields tests look at.
pub fn study(n: u32, status: &str) -> Value {
    json!({
        "protocolSection": {
            "identificationModule": {
                "nctId": format!("NCT{n:08}"),
                "orgStudyIdInfo": {"id": format!("ORG-{n}")},
                "secondaryIdInfos": [{"id": format!("K{n}")}],
                "briefTitle": format!("Belimumab after rituximab, study {n}")
            },
            "statusModule": {"overallStatus": status},
            "conditionsModule": {"conditions": ["Sjogren's Syndrome"]},
            "designModule": {"studyType": "INTERVENTIONAL", "phases": ["PHASE4"]},
            "armsInterventionsModule": {"interventions": [{"type": "DRUG", "name": "Belimumab"}]},
            "eligibilityModule": {
                "eligibilityCriteria": "Inclusion Criteria:\n\n* Age 5-18 years\n\nExclusion Criteria:\n\n* eGFR<30ml/min",
                "sex": "ALL",
                "minimumAge": "5 Years",
                "maximumAge": "18 Years"
            }
        }
    })
}

pub fn jsonl(studies: &[Value]) -> String {
    studies.iter().map(|s| format!("{s}\n")).collect()
}

pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, content).unwrap();
    path
}

/// `../shared/data/<rel>` beside the repository, or `None` (with a message)
/// when this machine has no shared data.
pub fn shared_data(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipping: {} is absent (shared benchmark data not on this machine)", path.display());
        None
    }
}

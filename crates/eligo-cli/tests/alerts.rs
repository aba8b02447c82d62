//! The delivery worker (`eligo alerts deliver`) killed with SIGKILL in the middle of a batch,
//! then restarted: every due notification arrives, none twice while the dead worker's claim holds.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{jsonl, study, write, Eligo};
use eligo_testkit::smtp::{ReceivedMail, SmtpServer};

const PEOPLE: usize = 12;

fn wait_for(what: &str, done: impl Fn() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(60), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn to(mail: &ReceivedMail, address: &str) -> bool {
    mail.to.iter().any(|t| t == address)
}

fn message_id(mail: &ReceivedMail) -> String {
    let text = String::from_utf8_lossy(&mail.data);
    text.lines().find(|l| l.to_ascii_lowercase().starts_with("message-id:")).unwrap_or_default().to_string()
}

#[test]
fn a_worker_killed_mid_batch_then_restarted_loses_nothing_and_repeats_at_most_the_unacknowledged_one() {
    let eligo = Eligo::new();
    for i in 0..PEOPLE {
        let address = format!("person{i}@example.org");
        let run = eligo.run(&["alerts", "add", "--email", &address, "--query", "belimumab", "--confirmed"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let unrelated =
        eligo.run(&["alerts", "add", "--email", "other@example.org", "--query", "psoriasis", "--confirmed"]);
    assert_eq!(unrelated.code, 0, "{}", unrelated.stderr);
    let file = write(eligo.data.path(), "new.jsonl", jsonl(&[study(1, "RECRUITING")]));
    let ingest = eligo.run(&["ingest", file.to_str().unwrap()]);
    assert_eq!(ingest.code, 0, "{}", ingest.stderr);

    // The server keeps the sixth message without acknowledging it; the worker waits for the
    // answer, and is killed there.
    let smtp = SmtpServer::start();
    smtp.stall_after(5);
    let mut worker = Command::new(env!("CARGO_BIN_EXE_eligo"))
        .arg("--data-dir")
        .arg(eligo.data.path())
        .args(["--quiet", "alerts", "deliver", "--smtp", &smtp.host_port()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("eligo runs");
    wait_for("six messages", || smtp.received().len() >= 6);
    worker.kill().expect("SIGKILL");
    worker.wait().expect("reaped");
    assert_eq!(smtp.received().len(), 6, "nothing more is sent while the answer is awaited");

    smtp.resume();
    let restart = eligo.run(&["alerts", "deliver", "--smtp", &smtp.host_port(), "--once"]);
    assert_eq!(restart.code, 0, "{}", restart.stderr);
    let received = smtp.received();
    let mut repeated = Vec::new();
    for i in 0..PEOPLE {
        let address = format!("person{i}@example.org");
        let copies: Vec<&ReceivedMail> = received.iter().filter(|m| to(m, &address)).collect();
        assert!(!copies.is_empty(), "{address} got nothing: lost");
        assert!(copies.len() <= 2, "{address} got {} copies", copies.len());
        assert!(String::from_utf8_lossy(&copies[0].data).contains("NCT00000001"));
        if copies.len() == 2 {
            assert_eq!(message_id(copies[0]), message_id(copies[1]), "a repeat carries the same Message-ID");
            repeated.push(address);
        }
    }
    // The unacknowledged message stays claimed by the killed worker until its claim runs out
    // (minutes; another deliverer then sends it again): the restart sends every other one at once.
    assert!(repeated.is_empty(), "nothing is sent twice while its claim holds: {repeated:?}");
    assert!(!received.iter().any(|m| to(m, "other@example.org")), "an unrelated alert gets nothing");

    let again = eligo.run(&["alerts", "deliver", "--smtp", &smtp.host_port(), "--once"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(smtp.received().len(), received.len(), "a second run sends nothing new");
}

#[test]
fn a_profile_becomes_a_pre_screen_whose_answers_are_never_listed_and_a_profile_without_condition_is_refused() {
    let eligo = Eligo::new();
    let profile =
        write(eligo.data.path(), "girl.json", r#"{"age": 12, "sex": "female", "conditions": ["Sjogren's syndrome"]}"#);
    let add = eligo.run(&[
        "alerts",
        "add",
        "--email",
        "kid@example.org",
        "--profile",
        profile.to_str().unwrap(),
        "--confirmed",
    ]);
    assert_eq!(add.code, 0, "{}", add.stderr);
    let file = write(eligo.data.path(), "new.jsonl", jsonl(&[study(1, "RECRUITING")]));
    let ingest = eligo.run(&["ingest", file.to_str().unwrap()]);
    assert_eq!(ingest.code, 0, "{}", ingest.stderr);
    assert!(
        ingest.stderr.contains("queued 1 alert notification"),
        "the trial for 5-18-year-olds fits: {}",
        ingest.stderr
    );

    let list = eligo.run(&["alerts", "list", "--json"]);
    assert_eq!(list.json()[0]["follows"]["kind"], "pre_screen", "{}", list.stdout);
    for answer in ["Sjogren", "12.0", "female"] {
        assert!(!list.stdout.contains(answer), "{answer} listed: {}", list.stdout);
    }

    let no_condition = write(eligo.data.path(), "adult.json", r#"{"age": 30, "sex": "male"}"#);
    let refused =
        eligo.run(&["alerts", "add", "--email", "x@example.org", "--profile", no_condition.to_str().unwrap()]);
    assert_ne!(refused.code, 0);
    assert!(
        refused.stderr.contains("adult.json") && refused.stderr.contains("at least one condition"),
        "{}",
        refused.stderr
    );
    assert_eq!(eligo.run(&["alerts", "list", "--json"]).json().as_array().unwrap().len(), 1, "nothing half-written");
}

//! The pages over a real server: they render, escape what users type, stay
//! small, and carry a patient's answers through to a verdict.

mod common;

use std::sync::OnceLock;

use common::TestServer;

fn server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(|| TestServer::start(40))
}

fn form_post(s: &TestServer, path: &str, body: &str) -> common::Reply {
    s.post(path, "application/x-www-form-urlencoded", body.as_bytes(), None)
}

#[test]
fn the_trial_page_leads_with_the_plain_card_and_its_grade_and_stays_small() {
    let s = server();
    let reply = s.get(&format!("/trials/{}", s.first_id));
    assert_eq!(reply.status, 200);
    assert!(reply.content_type.starts_with("text/html"));
    let html = &reply.body;
    let card = html.find("In plain words").expect("card");
    let checklist = html.find("Eligibility checklist").expect("checklist");
    assert!(card < checklist, "the card comes first");
    for section in ["Who can join", "Study groups", "Where it runs", "Contacts", "Identifiers", "Where this comes from"]
    {
        assert!(html.contains(section), "{section}");
    }
    assert!(html.contains("Reading level: grade"));
    assert!(html.len() < 100 * 1024, "page weighs {} bytes", html.len());
    assert!(!html.contains("http://") && !html.contains("https://"), "no external resources");
}

#[test]
fn unknown_trials_and_pages_are_404_pages() {
    let s = server();
    let reply = s.get("/trials/NCT00000000");
    assert_eq!(reply.status, 404);
    assert!(reply.body.contains("no trial with ID NCT00000000"));
    assert_eq!(s.get("/nothing/here").status, 404);
    assert_eq!(s.get("/trials/..%2F..%2Fetc").status, 400);
}

#[test]
fn html_in_the_query_string_is_escaped() {
    let s = server();
    let reply = s.get("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assert_eq!(reply.status, 200);
    assert!(!reply.body.contains("<script>alert(1)"), "{}", reply.body);
    assert!(reply.body.contains("&lt;script&gt;alert(1)"));
}

#[test]
fn find_lists_results_with_links_and_paging() {
    let s = server();
    let reply = form_post(s, "/", "status=open");
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("trials found"));
    assert!(reply.body.contains("href=\"/trials/NCT9"), "results link to trial pages");
    let aged = form_post(s, "/", "status=open&age=40");
    assert!(aged.body.contains("trials found") && !aged.body.contains("age=40"), "no link carries the age");
    assert!(reply.body.contains("name=\"offset\" value=\"10\""), "more than one page, paged by a form");
    assert!(reply.body.contains("Ages: "), "each result says who it is for");
    assert!(reply.body.contains("class=\"facet-counts\""), "facet counts beside the results");
    let bad = form_post(s, "/", "age=abc");
    assert!(bad.body.contains("`age` must be a number"), "the reason is shown");
}

#[test]
fn check_my_eligibility_asks_and_answers_with_a_verdict() {
    let s = server();
    let path = format!("/trials/{}/check", s.first_id);
    let form = s.get(&path);
    assert_eq!(form.status, 200);
    assert!(form.body.contains("<form method=\"post\""));
    assert!(form.body.contains("Step 1."), "{}", form.body);
    let questions = form.body.matches("<fieldset>").count() + form.body.matches("class=\"field\"").count();
    assert!((1..=8).contains(&questions), "a short step: {questions} questions");
    assert!(form.body.contains("How old are you?"), "every trial has age limits, so age comes first");

    let next = form_post(s, &path, "step=1&a.age=200");
    assert!(next.body.contains("is out of range"), "a bad answer is reported");
    let again = form_post(s, &path, "step=1&a.age=45");
    if again.body.contains("Step 2.") {
        assert!(again.body.contains("name=\"a.age\" value=\"45\""), "the answers so far travel in the form");
        assert!(!again.body.contains("How old are you?"), "nothing is asked twice");
    }
    let verdict = form_post(s, &path, "a.age=45&finish=1");
    assert!(verdict.body.contains("Your result"), "the result whenever the person asks");
    let child = form_post(s, &path, "a.age=3");
    assert!(
        child.body.contains("Your result") && child.body.contains("You do not seem to qualify"),
        "decided: no more steps"
    );
}

#[test]
fn a_page_of_search_results_is_checked_step_by_step() {
    let s = server();
    let find = form_post(s, "/", "status=open&age=9");
    assert!(find.body.contains("action=\"/check\""), "the Find page offers the check");
    assert!(find.body.contains("name=\"s.age\" value=\"9\""), "the search travels in the form, not the address");
    assert!(!s.get("/check?status=open&age=9").body.contains("<form method=\"post\""), "no check from an address");
    let form = form_post(s, "/check", "s.status=open&s.age=9");
    assert_eq!(form.status, 200);
    assert!(form.body.contains("name=\"s.status\" value=\"open\""), "the search travels with the form");
    assert!(!form.body.contains("How old are you?"), "the age given in the search is not asked again");

    let asked = form_post(s, "/check", "s.status=open");
    assert!(asked.body.contains("name=\"a.age\""), "every trial has age limits, so age is asked first");

    let verdicts = form_post(s, "/check", "s.status=open&a.age=9&finish=1");
    assert_eq!(verdicts.status, 200);
    let body = &verdicts.body;
    assert!(body.contains("Trials you may qualify for"));
    let not_qualified = body.find("You do not seem to qualify").expect("adult-only trials exclude a 9-year-old");
    assert!(body.contains("Not met: Age"), "the reason is named");
    if let Some(might) = body.rfind("You might qualify") {
        assert!(might < not_qualified, "possible trials come before excluded ones");
    }
    let bad = form_post(s, "/check", "s.status=open&a.age=200");
    assert!(bad.body.contains("is out of range"), "a bad answer is reported");
    assert_eq!(form_post(s, "/check", "s.limit=5000").status, 400, "the search limits still apply");
}

#[test]
fn screening_a_note_lists_ranked_trials_with_evidence() {
    let s = server();
    let trial = s.get(&format!("/api/v1/trials/{}", s.first_id)).json();
    let condition = trial["conditions"][0].as_str().unwrap();
    let note = format!("patient=52-year-old+man+with+{}", condition.replace(' ', "+"));
    let reply = form_post(s, "/screen", &note);
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("Matching trials"), "{}", reply.body);
    assert!(reply.body.contains("<details>"));
    let nothing = form_post(s, "/screen", "patient=Feels+well.");
    assert_eq!(nothing.status, 200, "a record without a condition is no error");
    assert!(nothing.body.contains("No condition was recognised"), "{}", nothing.body);
}

#[test]
fn sites_are_listed_nearest_first_when_a_place_is_given() {
    let s = server();
    let trial = s.get(&format!("/api/v1/trials/{}", s.first_id)).json();
    let sites = trial["locations"].as_array().cloned().unwrap_or_default();
    let Some(city) = sites.iter().find_map(|site| site["city"].as_str().map(str::to_string)) else {
        return; // a generated trial without sites: nothing to order
    };
    let reply = form_post(s, &format!("/trials/{}", s.first_id), &format!("near={}", city.replace(' ', "+")));
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("Nearest first"), "{city}");
    assert!(reply.body.contains(" km"), "distances shown for {city}");
}

#[test]
fn linked_publications_show_on_the_trial_page_with_why() {
    use eligo_model::{LinkReason, Publication, PublicationLink};

    let s = TestServer::start(3);
    let publication = Publication {
        pmid: Some("31234567".into()),
        title: "Results of a <randomised> trial".into(),
        ..Publication::default()
    };
    let store = eligo_store::open_store(&format!("sqlite:{}", s.db.display())).unwrap();
    store.upsert_publications(std::slice::from_ref(&publication)).unwrap();
    let link = PublicationLink {
        trial_id: s.first_id.clone(),
        publication_key: publication.key().unwrap(),
        reason: LinkReason::NamesNctId,
        score: 1.0,
        reports_results: true,
    };
    store.replace_publication_links(&[link]).unwrap();
    let html = s.get(&format!("/trials/{}", s.first_id)).body;
    assert!(html.contains("Results of a &lt;randomised&gt; trial"), "escaped title shown");
    assert!(html.contains("PMID 31234567"));
    assert!(html.contains("Reports this trial's results; the article names this trial's ID"));
}

//! The frame around every page: skip link, header navigation, footer.

use maud::{html, Markup, DOCTYPE};

/// A full HTML document with `title` and `body` inside the common frame.
pub fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Eligo" }
                link rel="stylesheet" href="/static/style.css";
                // No favicon: an empty data URL stops the browser asking for one.
                link rel="icon" href="data:,";
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.site {
                    a.brand href="/" { "Eligo" }
                    nav aria-label="Main" {
                        a href="/" { "Find a trial" }
                        " "
                        a href="/screen" { "Screen a patient" }
                    }
                }
                main #main { (body) }
                footer {
                    "Eligo runs on this computer; what you type is not sent anywhere else. "
                    "This is not medical advice: talk to the study team and your doctor."
                }
            }
        }
    }
}

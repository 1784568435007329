//! Every text of a message to the page, for the live worker to scrub of its secrets before
//! posting. Each struct is taken apart field by field (no `..`), so a new text field does not
//! compile until it is listed here.

use super::{
    AthenaRows, AthenaStatus, Dragon, Exchange, Figures, FromLive, Listing, LiveError,
    ObjectSummary, Outcome, Parameter, ParameterAnswer, Problem, Session, Signing,
};

type Clean<'a> = dyn FnMut(&mut String) + 'a;

impl FromLive {
    /// Passes every text of the message through `clean`, but for the credentials the learner
    /// asked to keep (`Remember::Keep`), which are the secrets themselves.
    pub fn clean_texts(&mut self, clean: &mut Clean) {
        match self {
            FromLive::Ready
            | FromLive::NewPasswordRequired { id: _ }
            | FromLive::End { id: _, ms: _ }
            | FromLive::Cancelled { id: _ }
            | FromLive::PracticeReset { id: _ }
            | FromLive::AthenaDone { id: _, more: _ }
            | FromLive::Uploaded { id: _ } => {}
            FromLive::Connected {
                id: _,
                session,
                remember: _,
            }
            | FromLive::Renewed {
                session,
                remember: _,
            } => session.clean_texts(clean),
            FromLive::Invalid { id: _, problems } => {
                for Problem { field, problem } in problems {
                    clean(field);
                    clean(problem);
                }
            }
            FromLive::Records { id: _, text }
            | FromLive::Reported {
                id: _,
                message: text,
            } => clean(text),
            FromLive::Progress { id: _, figures } | FromLive::Stats { id: _, figures } => {
                let Figures {
                    bytes_scanned: _,
                    bytes_processed: _,
                    bytes_returned: _,
                } = figures;
            }
            FromLive::Parameters { id: _, answer } => match answer {
                ParameterAnswer::Parameters {
                    parameters,
                    next_token,
                } => {
                    parameters
                        .iter_mut()
                        .for_each(|p| clean_parameter(p, clean));
                    next_token.iter_mut().for_each(&mut *clean);
                }
                ParameterAnswer::Parameter(p) => clean_parameter(p, clean),
                ParameterAnswer::Saved { version: _ } | ParameterAnswer::Deleted => {}
            },
            FromLive::AthenaStatus { id: _, status } => {
                let AthenaStatus {
                    query_id,
                    state,
                    scanned_bytes: _,
                    engine_ms: _,
                } = status;
                clean(query_id);
                clean(state);
            }
            FromLive::AthenaRows { id: _, rows } => {
                let AthenaRows { columns, rows } = rows;
                columns.iter_mut().for_each(&mut *clean);
                rows.iter_mut().flatten().flatten().for_each(&mut *clean);
            }
            FromLive::Dragons { id: _, dragons } => {
                dragons.iter_mut().for_each(|d| clean_dragon(d, clean))
            }
            FromLive::Listing { id: _, listing } => {
                let Listing {
                    folders,
                    objects,
                    next,
                } = listing;
                folders.iter_mut().for_each(&mut *clean);
                for ObjectSummary { key, size: _ } in objects {
                    clean(key);
                }
                next.iter_mut().for_each(&mut *clean);
            }
            FromLive::Object {
                id: _,
                blob: _,
                reason,
                size: _,
            } => reason.iter_mut().for_each(&mut *clean),
            FromLive::Unavailable { id: _, reason } => clean(reason),
            FromLive::Error { id: _, error } => {
                let LiveError {
                    code,
                    message,
                    service,
                    status: _,
                    request_id,
                } = error;
                [code, message, service].into_iter().for_each(&mut *clean);
                request_id.iter_mut().for_each(&mut *clean);
            }
            FromLive::Exchange(e) => e.clean_texts(clean),
            FromLive::Frames { seq: _, lines } => lines.iter_mut().for_each(&mut *clean),
        }
    }
}

impl Session {
    fn clean_texts(&mut self, clean: &mut Clean) {
        let Session {
            mode: _,
            user,
            identity_id,
            access_key_id,
            expiration: _,
        } = self;
        clean(user);
        clean(access_key_id);
        identity_id.iter_mut().for_each(&mut *clean);
    }
}

fn clean_parameter(p: &mut Parameter, clean: &mut Clean) {
    let Parameter {
        name,
        kind,
        value,
        version: _,
        modified: _,
    } = p;
    [name, kind, value].into_iter().for_each(&mut *clean);
}

fn clean_dragon(d: &mut Dragon, clean: &mut Clean) {
    let Dragon {
        name,
        family,
        description,
        city,
        country,
        state,
        neighborhood,
    } = d;
    [
        name,
        family,
        description,
        city,
        country,
        state,
        neighborhood,
    ]
    .into_iter()
    .for_each(&mut *clean);
}

impl Exchange {
    fn clean_texts(&mut self, clean: &mut Clean) {
        let Exchange {
            seq: _,
            id: _,
            attempt: _,
            service,
            operation,
            method,
            url,
            request_headers,
            request_body,
            signing,
            cli,
            boto3,
            ms: _,
            outcome,
        } = self;
        [service, operation, method, url, request_body, cli, boto3]
            .into_iter()
            .for_each(&mut *clean);
        clean_pairs(request_headers, clean);
        if let Some(Signing {
            canonical_request,
            string_to_sign,
            signature,
        }) = signing
        {
            [canonical_request, string_to_sign, signature]
                .into_iter()
                .for_each(&mut *clean);
        }
        match outcome {
            Outcome::Answered {
                status: _,
                headers,
                body,
            } => {
                clean_pairs(headers, clean);
                clean(body);
            }
            Outcome::Failed { why } => clean(why),
        }
    }
}

fn clean_pairs(pairs: &mut [(String, String)], clean: &mut Clean) {
    for (a, b) in pairs {
        clean(a);
        clean(b);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Mode, Remember, Remembered};
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG";

    fn s() -> String {
        format!("<{SECRET}>")
    }

    fn session() -> Session {
        Session {
            mode: Mode::SignIn,
            user: s(),
            identity_id: Some(s()),
            access_key_id: s(),
            expiration: Some(1.0),
        }
    }

    fn kept() -> Remember {
        Remember::Keep(Box::new(Remembered {
            mode: Mode::SignIn,
            identity_id: Some(s()),
            username: s(),
            id_token: s(),
            keys: super::super::Keys {
                access_key_id: s(),
                secret_access_key: SECRET.into(),
                session_token: SECRET.into(),
            },
            expiration: None,
        }))
    }

    fn parameter() -> Parameter {
        Parameter {
            name: s(),
            kind: s(),
            value: s(),
            version: 1,
            modified: None,
        }
    }

    /// Every message but `Object` (a Blob exists only in a browser), each text holding SECRET.
    fn every_message() -> Vec<FromLive> {
        let pairs = vec![(s(), s())];
        let exchange = |outcome| {
            FromLive::Exchange(Box::new(Exchange {
                seq: 1,
                id: 2,
                attempt: 1,
                service: s(),
                operation: s(),
                method: s(),
                url: s(),
                request_headers: pairs.clone(),
                request_body: s(),
                signing: Some(Signing {
                    canonical_request: s(),
                    string_to_sign: s(),
                    signature: s(),
                }),
                cli: s(),
                boto3: s(),
                ms: 3.0,
                outcome,
            }))
        };
        vec![
            FromLive::Ready,
            FromLive::Connected {
                id: 1,
                session: session(),
                remember: Remember::NotAsked,
            },
            FromLive::Renewed {
                session: session(),
                remember: Remember::LongTermKeys,
            },
            FromLive::NewPasswordRequired { id: 1 },
            FromLive::Invalid {
                id: 1,
                problems: vec![Problem {
                    field: s(),
                    problem: s(),
                }],
            },
            FromLive::Records { id: 1, text: s() },
            FromLive::Progress {
                id: 1,
                figures: Figures::default(),
            },
            FromLive::End { id: 1, ms: 2.0 },
            FromLive::Parameters {
                id: 1,
                answer: ParameterAnswer::Parameters {
                    parameters: vec![parameter()],
                    next_token: Some(s()),
                },
            },
            FromLive::Parameters {
                id: 1,
                answer: ParameterAnswer::Parameter(parameter()),
            },
            FromLive::Dragons {
                id: 1,
                dragons: vec![Dragon {
                    name: s(),
                    family: s(),
                    description: s(),
                    city: s(),
                    country: s(),
                    state: s(),
                    neighborhood: s(),
                }],
            },
            FromLive::Reported {
                id: 1,
                message: s(),
            },
            FromLive::Listing {
                id: 1,
                listing: Listing {
                    folders: vec![s()],
                    objects: vec![ObjectSummary {
                        key: s(),
                        size: 1.0,
                    }],
                    next: Some(s()),
                },
            },
            FromLive::Error {
                id: 1,
                error: LiveError {
                    code: s(),
                    message: s(),
                    service: s(),
                    status: 403,
                    request_id: Some(s()),
                },
            },
            FromLive::Unavailable { id: 1, reason: s() },
            FromLive::Cancelled { id: 1 },
            FromLive::PracticeReset { id: 1 },
            FromLive::Uploaded { id: 1 },
            exchange(Outcome::Answered {
                status: 200,
                headers: pairs.clone(),
                body: s(),
            }),
            exchange(Outcome::Failed { why: s() }),
            FromLive::Frames {
                seq: 1,
                lines: vec![s()],
            },
        ]
    }

    fn scrub(text: &mut String) {
        *text = text.replace(SECRET, "** redacted **");
    }

    #[test]
    fn no_text_of_any_message_keeps_a_secret() {
        for mut msg in every_message() {
            msg.clean_texts(&mut scrub);
            let shown = format!("{msg:?}");
            assert!(!shown.contains(SECRET), "{shown}");
        }
    }

    #[test]
    fn the_reason_for_a_download_is_scrubbed_too() {
        use wasm_bindgen::JsCast;
        // A stand-in for the Blob: natively there is no JS to make one (nor to print one).
        let blob = wasm_bindgen::JsValue::UNDEFINED.unchecked_into();
        let mut msg = FromLive::Object {
            id: 1,
            blob,
            reason: Some(s()),
            size: None,
        };
        msg.clean_texts(&mut scrub);
        let FromLive::Object { reason, .. } = msg else {
            unreachable!()
        };
        assert_eq!(reason.as_deref(), Some("<** redacted **>"));
    }

    #[test]
    fn the_credentials_to_remember_are_kept_as_they_are() {
        let mut msg = FromLive::Connected {
            id: 1,
            session: session(),
            remember: kept(),
        };
        msg.clean_texts(&mut scrub);
        let FromLive::Connected {
            session, remember, ..
        } = msg
        else {
            unreachable!()
        };
        assert_eq!(session.user, "<** redacted **>");
        assert_eq!(remember, kept());
    }
}

//! Contact details and web addresses are well-formed, and a procedure lists
//! someone to contact.

use crate::check::findings::{At, Findings};
use crate::load::locate::YamlPath;
use crate::model::Procedure;

/// Phone numbers and e-mail addresses read as such, and each contact can be reached.
pub(super) fn check_contacts(p: &Procedure, f: &mut Findings) {
    let contacts = YamlPath::root().key("contacts");
    if p.contacts.is_empty() {
        f.warning(
            YamlPath::root().key("title"),
            At::Key,
            "the procedure lists no contacts".to_string(),
            "readers need someone to contact: add a 'contacts:' list if the source gives any"
                .to_string(),
        );
    }
    for (i, contact) in p.contacts.iter().enumerate() {
        let at = contacts.index(i);
        check_reach(&at, contact.phone.as_deref(), contact.email.as_deref(), f);
        let reachable = contact.phone.is_some()
            || contact.email.is_some()
            || !contact.address.is_empty()
            || contact.url.is_some()
            || contact.note.is_some();
        if !reachable {
            f.warning(
                at.key("id"),
                At::Value,
                format!("the contact '{}' has no phone, e-mail, address or web address", contact.id),
                "add how to reach them, or a 'note:' saying how to find them if the source gives no details".to_string(),
            );
        }
    }
}

/// Outside services' phone numbers and e-mail addresses read as such.
pub(super) fn check_resources(p: &Procedure, f: &mut Findings) {
    let resources = YamlPath::root().key("resources");
    for (i, r) in p.resources.iter().enumerate() {
        check_reach(
            &resources.index(i),
            r.phone.as_deref(),
            r.email.as_deref(),
            f,
        );
    }
}

/// A contact's or service's phone number and e-mail address, where given, are well-formed.
fn check_reach(at: &YamlPath, phone: Option<&str>, email: Option<&str>, f: &mut Findings) {
    if let Some(phone) = phone
        && !crate::model::contact::is_phone(phone)
    {
        f.error(
            at.key("phone"),
            At::Value,
            format!("'{phone}' is not a telephone number"),
            "write the number as published, with digits, spaces and an optional leading +, e.g. 01993 861000"
                .to_string(),
        );
    }
    if let Some(email) = email
        && !crate::model::contact::is_email(email)
    {
        f.error(
            at.key("email"),
            At::Value,
            format!("'{email}' is not an e-mail address"),
            "an e-mail address looks like name@example.org, with no spaces".to_string(),
        );
    }
}

/// Every web address is complete.
pub(super) fn check_links(p: &Procedure, f: &mut Findings) {
    let root = YamlPath::root();
    let mut urls: Vec<(YamlPath, &str)> = Vec::new();
    for (i, c) in p.contacts.iter().enumerate() {
        if let Some(u) = &c.url {
            urls.push((root.key("contacts").index(i).key("url"), u));
        }
    }
    for (i, r) in p.resources.iter().enumerate() {
        if let Some(u) = &r.url {
            urls.push((root.key("resources").index(i).key("url"), u));
        }
    }
    for (i, n) in p.nodes.iter().enumerate() {
        for (j, d) in n.documents.iter().enumerate() {
            if let Some(u) = &d.url {
                urls.push((
                    root.key("nodes")
                        .index(i)
                        .key("documents")
                        .index(j)
                        .key("url"),
                    u,
                ));
            }
        }
    }
    if let Some(u) = &p.source.url {
        urls.push((root.key("source").key("url"), u));
    }
    for (i, u) in p.source.other_urls.iter().enumerate() {
        urls.push((root.key("source").key("other_urls").index(i), u));
    }
    for (i, v) in p.source.versions.iter().enumerate() {
        if let Some(u) = &v.url {
            urls.push((root.key("source").key("versions").index(i).key("url"), u));
        }
    }
    for (path, url) in urls {
        if !crate::model::contact::is_web_url(url) {
            let hint = if url.starts_with("www.") {
                format!("add the scheme: 'https://{url}' (or http:// if the site has no https)")
            } else {
                "a web address starts with https:// or http:// and has no spaces".to_string()
            };
            f.error(
                path,
                At::Value,
                format!("'{url}' is not a complete web address"),
                hint,
            );
        }
    }
}

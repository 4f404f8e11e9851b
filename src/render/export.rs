//! Downloadable forms of a procedure's contacts: CSV for spreadsheets and
//! vCard for address books.

use crate::model::Contact;

/// Escapes text for XML and HTML attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// One CSV field, quoted when it must be. A leading =, +, - or @ is prefixed with
/// an apostrophe so spreadsheets do not run it as a formula.
fn csv_field(text: &str) -> String {
    let safe = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

/// The contacts as CSV with a header row (RFC 4180, CRLF line ends).
pub fn contacts_csv(contacts: &[Contact]) -> String {
    let mut out =
        String::from("Organisation,Department,Role,Name,Telephone,Email,Address,Web,Note\r\n");
    for c in contacts {
        let fields = [
            c.organisation.clone(),
            c.departments.join(" > "),
            c.role.clone().unwrap_or_default(),
            c.name.clone().unwrap_or_default(),
            c.phone.clone().unwrap_or_default(),
            c.email.clone().unwrap_or_default(),
            c.address.join(", "),
            c.url.clone().unwrap_or_default(),
            c.note.clone().unwrap_or_default(),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Appends `text` escaped as a vCard text value (RFC 6350 §3.4).
fn push_vcard_text(out: &mut String, text: &str) {
    // Most values hold nothing to escape and are copied whole (`fold`, unlike `any`,
    // lets the compiler look at many bytes at once).
    let special = text.bytes().fold(false, |found, b| {
        found | matches!(b, b'\\' | b',' | b';' | b'\n')
    });
    if !special {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

/// Appends a line `name:value` with `value` escaped as vCard text.
fn push_text_line(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push(':');
    push_vcard_text(out, value);
    out.push_str("\r\n");
}

/// The contacts as vCard 4.0 cards, one per contact.
pub fn contacts_vcard(contacts: &[Contact], dialling_code: &str) -> String {
    let mut out = String::with_capacity(contacts.len() * 256);
    for c in contacts {
        let shown = c
            .name
            .as_deref()
            .or(c.role.as_deref())
            .unwrap_or(&c.organisation);
        out.push_str("BEGIN:VCARD\r\nVERSION:4.0\r\n");
        push_text_line(&mut out, "FN", shown);
        if c.name.is_none() {
            out.push_str("KIND:org\r\n");
        }
        out.push_str("ORG:");
        push_vcard_text(&mut out, &c.organisation);
        for department in &c.departments {
            out.push(';');
            push_vcard_text(&mut out, department);
        }
        out.push_str("\r\n");
        if let Some(role) = &c.role {
            push_text_line(&mut out, "TITLE", role);
        }
        if let Some(phone) = &c.phone {
            let uri = crate::model::contact::tel_uri(phone, dialling_code).unwrap_or_default();
            out.push_str("TEL;VALUE=uri;TYPE=work:");
            out.push_str(&uri);
            out.push_str("\r\n");
        }
        if let Some(email) = &c.email {
            push_text_line(&mut out, "EMAIL;TYPE=work", email);
        }
        if !c.address.is_empty() {
            // Street lines go in the street component; the label keeps the lines as published.
            out.push_str("ADR;TYPE=work;LABEL=\"");
            push_vcard_text(&mut out, &c.address.join("\n"));
            out.push_str("\":;;");
            push_vcard_text(&mut out, &c.address.join(", "));
            out.push_str(";;;;\r\n");
        }
        if let Some(url) = &c.url {
            out.push_str("URL:");
            out.push_str(url);
            out.push_str("\r\n");
        }
        if let Some(note) = &c.note {
            push_text_line(&mut out, "NOTE", note);
        }
        out.push_str("END:VCARD\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact() -> Contact {
        serde_yaml::from_str(
            "{id: a, organisation: 'Oxfordshire County Council', departments: [Community Safety, 'Fire & Rescue'], role: 'Manager, Risk', phone: 01865 792422, email: x@y.org, address: [75-81 Eastgate Street, Gloucester GL1 1PN]}",
        )
        .unwrap()
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let csv = contacts_csv(&[contact()]);
        let mut lines = csv.split("\r\n");
        assert_eq!(
            lines.next(),
            Some("Organisation,Department,Role,Name,Telephone,Email,Address,Web,Note")
        );
        assert_eq!(
            lines.next(),
            Some(
                "Oxfordshire County Council,Community Safety > Fire & Rescue,\"Manager, Risk\",,01865 792422,x@y.org,\"75-81 Eastgate Street, Gloucester GL1 1PN\",,"
            )
        );
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    }

    #[test]
    fn vcard_has_org_path_and_tel_uri() {
        let v = contacts_vcard(&[contact()], "+44");
        assert!(
            v.contains("ORG:Oxfordshire County Council;Community Safety;Fire & Rescue\r\n"),
            "{v}"
        );
        assert!(
            v.contains("TEL;VALUE=uri;TYPE=work:tel:+441865792422\r\n"),
            "{v}"
        );
        assert!(v.contains("TITLE:Manager\\, Risk\r\n"), "{v}");
        assert!(v.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n") && v.ends_with("END:VCARD\r\n"));
    }
}

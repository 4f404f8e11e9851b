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

/// Escapes a vCard text value (RFC 6350 §3.4).
fn vcard_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace(';', "\\;")
        .replace('\n', "\\n")
}

/// The contacts as vCard 4.0 cards, one per contact.
pub fn contacts_vcard(contacts: &[Contact], dialling_code: &str) -> String {
    let mut out = String::new();
    for c in contacts {
        let shown = c
            .name
            .clone()
            .or_else(|| c.role.clone())
            .unwrap_or_else(|| c.organisation.clone());
        out.push_str("BEGIN:VCARD\r\nVERSION:4.0\r\n");
        out.push_str(&format!("FN:{}\r\n", vcard_text(&shown)));
        if c.name.is_none() {
            out.push_str("KIND:org\r\n");
        }
        let mut org = vec![vcard_text(&c.organisation)];
        org.extend(c.departments.iter().map(|d| vcard_text(d)));
        out.push_str(&format!("ORG:{}\r\n", org.join(";")));
        if let Some(role) = &c.role {
            out.push_str(&format!("TITLE:{}\r\n", vcard_text(role)));
        }
        if let Some(phone) = &c.phone {
            let uri = crate::contact::tel_uri(phone, dialling_code).unwrap_or_default();
            out.push_str(&format!("TEL;VALUE=uri;TYPE=work:{uri}\r\n"));
        }
        if let Some(email) = &c.email {
            out.push_str(&format!("EMAIL;TYPE=work:{}\r\n", vcard_text(email)));
        }
        if !c.address.is_empty() {
            // Street lines go in the street component; the label keeps the lines as published.
            let label = vcard_text(&c.address.join("\n"));
            let street = vcard_text(&c.address.join(", "));
            out.push_str(&format!(
                "ADR;TYPE=work;LABEL=\"{label}\":;;{street};;;;\r\n"
            ));
        }
        if let Some(url) = &c.url {
            out.push_str(&format!("URL:{url}\r\n"));
        }
        if let Some(note) = &c.note {
            out.push_str(&format!("NOTE:{}\r\n", vcard_text(note)));
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

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

/// One CSV field, quoted when it must be (RFC 4180: holding a comma, quote or line
/// break; quotes doubled). A leading =, +, -, @, tab or carriage return is prefixed
/// with an apostrophe so spreadsheets do not run it as a formula.
fn csv_field(text: &str) -> String {
    let safe = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
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

/// Appends `text` escaped as a vCard text value (RFC 6350 §3.4): backslash,
/// comma, semicolon and line breaks (of any kind) are escaped.
fn push_vcard_text(out: &mut String, text: &str) {
    // Most values hold nothing to escape and are copied whole (`fold`, unlike `any`,
    // lets the compiler look at many bytes at once).
    let special = text.bytes().fold(false, |found, b| {
        found | matches!(b, b'\\' | b',' | b';' | b'\n' | b'\r')
    });
    if !special {
        out.push_str(text);
        return;
    }
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            c => out.push(c),
        }
    }
}

/// Appends `text` as a quoted parameter value: `"` cannot appear inside the quotes
/// (RFC 6350 §3.3), so it, `^` and line breaks take RFC 6868's escapes (`^'`, `^^`, `^n`).
fn push_vcard_param(out: &mut String, text: &str) {
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("^'"),
            '^' => out.push_str("^^"),
            '\n' => out.push_str("^n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("^n");
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The longest a content line may be, in octets, before the line break (RFC 6350 §3.2).
const VCARD_LINE: usize = 75;

/// Appends the content line `line` and its line break, folded so that no line is longer
/// than 75 octets: each continuation starts with a space, and no UTF-8 sequence is split.
fn push_folded(out: &mut String, line: &str) {
    let mut rest = line;
    let mut room = VCARD_LINE;
    loop {
        if rest.len() <= room {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = VCARD_LINE - 1;
    }
}

/// Appends a line `name:value` with `value` escaped as vCard text.
fn push_text_line(out: &mut String, line: &mut String, name: &str, value: &str) {
    line.clear();
    line.push_str(name);
    line.push(':');
    push_vcard_text(line, value);
    push_folded(out, line);
}

/// The contacts as vCard 4.0 cards, one per contact.
pub fn contacts_vcard(contacts: &[Contact], dialling_code: &str) -> String {
    let mut out = String::with_capacity(contacts.len() * 256);
    let mut line = String::with_capacity(128);
    for c in contacts {
        let shown = c
            .name
            .as_deref()
            .or(c.role.as_deref())
            .unwrap_or(&c.organisation);
        out.push_str("BEGIN:VCARD\r\nVERSION:4.0\r\n");
        push_text_line(&mut out, &mut line, "FN", shown);
        if c.name.is_none() {
            out.push_str("KIND:org\r\n");
        }
        line.clear();
        line.push_str("ORG:");
        push_vcard_text(&mut line, &c.organisation);
        for department in &c.departments {
            line.push(';');
            push_vcard_text(&mut line, department);
        }
        push_folded(&mut out, &line);
        if let Some(role) = &c.role {
            push_text_line(&mut out, &mut line, "TITLE", role);
        }
        if let Some(phone) = &c.phone {
            let uri = crate::model::contact::tel_uri(phone, dialling_code).unwrap_or_default();
            line.clear();
            line.push_str("TEL;VALUE=uri;TYPE=work:");
            line.push_str(&uri);
            push_folded(&mut out, &line);
        }
        if let Some(email) = &c.email {
            push_text_line(&mut out, &mut line, "EMAIL;TYPE=work", email);
        }
        if !c.address.is_empty() {
            // Street lines go in the street component; the label keeps the lines as published.
            line.clear();
            line.push_str("ADR;TYPE=work;LABEL=");
            push_vcard_param(&mut line, &c.address.join("\n"));
            line.push_str(":;;");
            push_vcard_text(&mut line, &c.address.join(", "));
            line.push_str(";;;;");
            push_folded(&mut out, &line);
        }
        if let Some(url) = &c.url {
            line.clear();
            line.push_str("URL:");
            line.extend(url.chars().filter(|c| !c.is_control()));
            push_folded(&mut out, &line);
        }
        if let Some(note) = &c.note {
            push_text_line(&mut out, &mut line, "NOTE", note);
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

    #[test]
    fn vcard_lines_fold_at_75_octets_between_characters() {
        let mut out = String::new();
        push_folded(&mut out, &"a".repeat(75));
        assert_eq!(out, format!("{}\r\n", "a".repeat(75)));
        out.clear();
        push_folded(&mut out, &"a".repeat(76));
        assert_eq!(out, format!("{}\r\n a\r\n", "a".repeat(75)));
        out.clear();
        // 74 octets, then a two-octet character that would straddle the limit.
        push_folded(&mut out, &format!("{}é{}", "a".repeat(74), "b".repeat(80)));
        let lines: Vec<&str> = out.trim_end().split("\r\n").collect();
        assert_eq!(lines[0], "a".repeat(74));
        assert!(lines[1].starts_with(" é"));
        assert!(lines.iter().all(|l| l.len() <= 75));
        let unfolded: String = out.replace("\r\n ", "");
        assert_eq!(
            unfolded,
            format!("{}é{}\r\n", "a".repeat(74), "b".repeat(80))
        );
    }

    #[test]
    fn vcard_parameters_use_rfc_6868_escapes() {
        let mut out = String::new();
        push_vcard_param(&mut out, "a \"b\"\nc ^ d\r\ne");
        assert_eq!(out, "\"a ^'b^'^nc ^^ d^ne\"");
        out.clear();
        push_vcard_text(&mut out, "a,b;c\\d\r\ne\rf\ng");
        assert_eq!(out, "a\\,b\\;c\\\\d\\ne\\nf\\ng");
    }
}

//! The contact downloads follow their standards: the vCards (RFC 6350) are read
//! back by an independent parser with every value intact, whatever characters
//! it holds, and their lines are folded at 75 octets without splitting a
//! character; the CSV (RFC 4180) is read back field for field.

use calcard::vcard::{VCard, VCardEntry, VCardParameterName, VCardProperty, VCardValue};
use waymark::model::Contact;
use waymark::render::export::{contacts_csv, contacts_vcard};

/// Text with everything that needs escaping, and a long stretch of non-ASCII.
fn awkward() -> Vec<Contact> {
    let long =
        "Ærøskøbing Kommune — Børne- og ungeforvaltningen, 東京都庁 🏛️ «Ελληνικά» ".repeat(4);
    let contacts = serde_json::json!([
        {
            "id": "a",
            "organisation": "Smith, Jones & \"Partners\"; Ltd \\ Co",
            "departments": ["Legal; Contracts", "Risk, Audit \\ Review"],
            "role": "Manager, \"Disputes\"",
            "name": long.trim(),
            "phone": "01865 792422",
            "email": "disputes@example.org",
            "address": ["Flat 2, \"The Maltings\"", "1 King's Road; Rear \\ Side", "Ørby ^ GL1 1PN"],
            "url": "https://example.org/disputes?a=1;b=2",
            "note": "Line one\nLine two, with a comma\r\nLine three; semicolon \\ backslash\n"
        },
        {
            "id": "b",
            "organisation": "=HYPERLINK(\"http://evil.example\")",
            "departments": [],
            "address": ["One line only"]
        }
    ]);
    serde_json::from_value(contacts).expect("contacts")
}

fn texts(entry: &VCardEntry) -> Vec<String> {
    entry
        .values
        .iter()
        .flat_map(|v| match v {
            VCardValue::Text(t) => vec![t.clone()],
            VCardValue::Component(parts) => parts.clone(),
            other => vec![format!("{other:?}")],
        })
        .collect()
}

fn one(card: &VCard, property: VCardProperty) -> &VCardEntry {
    let found: Vec<_> = card.entries.iter().filter(|e| e.name == property).collect();
    assert_eq!(found.len(), 1, "{property:?} in {card:#?}");
    found[0]
}

/// Undoes RFC 6868's parameter escapes, which the parser leaves to its caller.
fn rfc6868(text: &str) -> String {
    text.replace("^n", "\n")
        .replace("^'", "\"")
        .replace("^^", "^")
}

#[test]
fn vcards_read_back_with_every_value_intact() {
    let contacts = awkward();
    let vcf = contacts_vcard(&contacts, "+44");
    // Lines of at most 75 octets, each valid UTF-8 on its own.
    let bytes = vcf.as_bytes();
    assert!(bytes.ends_with(b"\r\n"));
    let mut folded = 0;
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    assert_eq!(lines.last(), Some(&&b""[..]));
    for line in &lines[..lines.len() - 1] {
        let line = line.strip_suffix(b"\r").expect("CRLF line ends");
        assert!(!line.contains(&b'\r'), "a bare CR");
        assert!(
            line.len() <= 75,
            "{} octets: {:?}",
            line.len(),
            String::from_utf8_lossy(line)
        );
        assert!(
            std::str::from_utf8(line).is_ok(),
            "a character split: {line:?}"
        );
        folded += usize::from(line.starts_with(b" "));
    }
    assert!(folded >= 4, "long values are folded");

    let cards: Vec<&str> = vcf.split_inclusive("END:VCARD\r\n").collect();
    assert_eq!(cards.len(), 2);
    let card = VCard::parse(cards[0]).expect("a vCard");
    let a = &contacts[0];
    assert_eq!(
        texts(one(&card, VCardProperty::Fn)),
        [a.name.clone().unwrap()]
    );
    let mut org = vec![a.organisation.clone()];
    org.extend(a.departments.iter().cloned());
    assert_eq!(texts(one(&card, VCardProperty::Org)), org);
    assert_eq!(
        texts(one(&card, VCardProperty::Title)),
        [a.role.clone().unwrap()]
    );
    assert_eq!(
        texts(one(&card, VCardProperty::Note)),
        ["Line one\nLine two, with a comma\nLine three; semicolon \\ backslash\n"]
    );
    let adr = one(&card, VCardProperty::Adr);
    assert_eq!(
        texts(adr),
        ["", "", &a.address.join(", "), "", "", "", ""],
        "{adr:#?}"
    );
    let label = adr
        .params
        .iter()
        .find(|p| p.name == VCardParameterName::Label)
        .expect("a LABEL parameter");
    let label = label.value.as_text().expect("text");
    // The parser reads backslashes as escapes in parameters too; RFC 6350 gives them
    // no meaning there, so the label is compared without them.
    assert_eq!(
        rfc6868(label).replace('\\', ""),
        a.address.join("\n").replace('\\', ""),
        "{adr:#?}"
    );
    assert_eq!(
        texts(one(&card, VCardProperty::Url)),
        ["https://example.org/disputes?a=1;b=2"]
    );
    assert_eq!(
        texts(one(&card, VCardProperty::Email)),
        ["disputes@example.org"]
    );

    let card = VCard::parse(cards[1]).expect("a vCard");
    assert_eq!(
        texts(one(&card, VCardProperty::Org)),
        ["=HYPERLINK(\"http://evil.example\")"]
    );
}

/// An RFC 4180 reader, for the test only: quoted fields, doubled quotes, CRLF records.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "records end with CRLF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => {
                assert!(c != '"' && c != '\n', "a bare {c:?} outside quotes");
                field.push(c);
            }
        }
    }
    assert!(
        field.is_empty() && record.is_empty(),
        "the last record ends with CRLF"
    );
    records
}

#[test]
fn csv_reads_back_field_for_field() {
    let contacts = awkward();
    let records = read_csv(&contacts_csv(&contacts));
    assert_eq!(records.len(), 3);
    assert!(records.iter().all(|r| r.len() == 9));
    let a = &contacts[0];
    assert_eq!(records[1][0], a.organisation);
    assert_eq!(records[1][1], a.departments.join(" > "));
    assert_eq!(records[1][2], a.role.clone().unwrap());
    assert_eq!(records[1][3], a.name.clone().unwrap());
    assert_eq!(records[1][6], a.address.join(", "));
    assert_eq!(records[1][8], a.note.clone().unwrap());
    // A formula is defused with a leading apostrophe, and otherwise kept.
    assert_eq!(records[2][0], "'=HYPERLINK(\"http://evil.example\")");
}

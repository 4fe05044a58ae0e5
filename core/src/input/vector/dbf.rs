//! The attribute table of a Shapefile: a dBase III table (`.dbf`).
//!
//! Read here rather than through the `dbase` crate: the reader needs each field's
//! decimal count (so `N(10,0)` columns stay integers, as GDAL reads them), the fields in
//! their file order, and text decoded in the code page the `.cpg` or the header's
//! language driver names with errors that name the record and the field. The format is
//! a fixed header, 32-byte field descriptors and fixed-width records.

use encoding_rs::Encoding;
use serde_json::{Number, Value};

use super::{float_value, parse_error, Properties};
use crate::Result;

/// How the table's text is decoded.
#[derive(Clone, Copy)]
pub(super) enum TextEncoding {
    /// A code page the `.cpg` or the language driver named (`source` says which).
    Known {
        encoding: &'static Encoding,
        source: &'static str,
    },
    /// Nothing named one: UTF-8 when valid, else an error suggesting a `.cpg`.
    Unnamed,
}

struct Field {
    name: String,
    kind: u8,
    offset: usize,
    length: usize,
    decimals: u8,
}

/// The records of a `.dbf` named `file`: one property map per record, in file order;
/// `None` for a record marked deleted.
///
/// # Errors
/// [`crate::Error::Parse`] naming `label`, `file` and the record or field for a truncated
/// or inconsistent table, a value that does not parse, or text not in its code page.
pub(super) fn read_dbf(
    label: &str,
    file: &str,
    bytes: &[u8],
    cpg: Option<&[u8]>,
) -> Result<Vec<Option<Properties>>> {
    let error = |reason: String| parse_error(label, format!("{file}: {reason}"));
    if bytes.len() < 32 {
        return Err(error(format!(
            "truncated: {} bytes, shorter than the 32-byte dBase header",
            bytes.len()
        )));
    }
    let count = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    let header_len = usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
    let record_len = usize::from(u16::from_le_bytes([bytes[10], bytes[11]]));
    let encoding = match cpg {
        Some(cpg) => encoding_from_cpg(cpg).map_err(&error)?,
        None => encoding_from_driver(bytes[29]),
    };
    if header_len > bytes.len() {
        return Err(error(format!(
            "truncated: the header says it is {header_len} bytes, the file has {}",
            bytes.len()
        )));
    }
    let mut fields = Vec::new();
    let mut offset = 1; // the deletion flag comes first
    let mut at = 32;
    while at + 32 <= header_len && bytes[at] != 0x0D {
        let descriptor = &bytes[at..at + 32];
        let raw_name = &descriptor[..11];
        let raw_name = &raw_name[..raw_name.iter().position(|&b| b == 0).unwrap_or(11)];
        let name = decode_text(raw_name, encoding)
            .map_err(|why| error(format!("field {} name: {why}", fields.len())))?;
        let length = usize::from(descriptor[16]);
        fields.push(Field {
            name: name.trim().to_string(),
            kind: descriptor[11].to_ascii_uppercase(),
            offset,
            length,
            decimals: descriptor[17],
        });
        offset += length;
        at += 32;
    }
    if offset != record_len {
        return Err(error(format!(
            "the field widths add up to {offset} bytes a record, the header says {record_len}"
        )));
    }
    let needed = header_len.saturating_add(count.saturating_mul(record_len));
    // Some writers end the table with an end-of-file byte; missing bytes are an error.
    if needed > bytes.len() {
        let complete = (bytes.len() - header_len) / record_len.max(1);
        return Err(error(format!(
            "truncated in record {complete}: the header says {count} records of \
             {record_len} bytes ({needed} bytes in all), the file has {}",
            bytes.len()
        )));
    }
    let mut records = Vec::with_capacity(count);
    for index in 0..count {
        let start = header_len + index * record_len;
        let record = &bytes[start..start + record_len];
        if record[0] == b'*' {
            records.push(None);
            continue;
        }
        let mut properties = Properties::new();
        for field in &fields {
            let raw = &record[field.offset..field.offset + field.length];
            let value = field_value(field, raw, encoding)
                .map_err(|why| error(format!("record {index}, field `{}`: {why}", field.name)))?;
            properties.insert(field.name.clone(), value);
        }
        records.push(Some(properties));
    }
    Ok(records)
}

fn field_value(field: &Field, raw: &[u8], encoding: TextEncoding) -> Result<Value, String> {
    let text = || -> Result<String, String> {
        let trimmed = trim_end(raw);
        decode_text(trimmed, encoding).map(|s| s.trim_start().to_string())
    };
    Ok(match field.kind {
        b'N' | b'F' => {
            let digits = String::from_utf8_lossy(trim_end(raw));
            let digits = digits.trim();
            if digits.is_empty() || digits.starts_with('*') {
                Value::Null
            } else if let (0, Ok(n)) = (field.decimals, digits.parse::<i64>()) {
                Value::Number(Number::from(n))
            } else {
                let number: f64 = digits
                    .parse()
                    .map_err(|_| format!("`{digits}` is not a number"))?;
                float_value(number)
            }
        }
        b'L' => match raw.first().copied().unwrap_or(b'?') {
            b'T' | b't' | b'Y' | b'y' => Value::Bool(true),
            b'F' | b'f' | b'N' | b'n' => Value::Bool(false),
            _ => Value::Null,
        },
        b'D' => {
            let digits = String::from_utf8_lossy(trim_end(raw));
            let digits = digits.trim();
            if digits.is_empty() || digits.bytes().all(|b| b == b'0') {
                Value::Null
            } else if digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()) {
                Value::String(format!(
                    "{}-{}-{}",
                    &digits[..4],
                    &digits[4..6],
                    &digits[6..]
                ))
            } else {
                Value::String(digits.to_string())
            }
        }
        b'I' if raw.len() == 4 => {
            Value::Number(i32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]).into())
        }
        b'O' if raw.len() == 8 => {
            let mut eight = [0; 8];
            eight.copy_from_slice(raw);
            float_value(f64::from_le_bytes(eight))
        }
        // Character fields, and any other type, as text (an empty value is null, as
        // shapelib reads it).
        _ => {
            let text = text()?;
            if text.is_empty() {
                Value::Null
            } else {
                Value::String(text)
            }
        }
    })
}

fn trim_end(raw: &[u8]) -> &[u8] {
    let end = raw
        .iter()
        .rposition(|&b| b != b' ' && b != 0)
        .map_or(0, |i| i + 1);
    &raw[..end]
}

fn decode_text(raw: &[u8], encoding: TextEncoding) -> Result<String, String> {
    match encoding {
        TextEncoding::Known { encoding, source } => encoding
            .decode_without_bom_handling_and_without_replacement(raw)
            .map(std::borrow::Cow::into_owned)
            .ok_or_else(|| format!("text is not valid {} (as {source} says)", encoding.name())),
        TextEncoding::Unnamed => std::str::from_utf8(raw).map(str::to_string).map_err(|_| {
            "text is not UTF-8 and no code page is named; add a .cpg file beside the .shp \
             naming the encoding (e.g. GBK, Big5 or 1252)"
                .to_string()
        }),
    }
}

/// The encoding a `.cpg` names: an encoding label (`UTF-8`, `GBK`, `Big5`,
/// `ISO-8859-1`) or a Windows code page number (`936`, `CP1252`, `ANSI 1251`).
pub(super) fn encoding_from_cpg(cpg: &[u8]) -> Result<TextEncoding, String> {
    let text = String::from_utf8_lossy(cpg);
    let name = text.trim().trim_start_matches('\u{feff}').trim();
    let upper = name.to_ascii_uppercase();
    let number = upper
        .strip_prefix("ANSI")
        .or_else(|| upper.strip_prefix("WINDOWS-"))
        .or_else(|| upper.strip_prefix("CP"))
        .or_else(|| upper.strip_prefix("OEM"))
        .unwrap_or(&upper)
        .trim();
    let by_number = number.parse::<u32>().ok().and_then(|n| match n {
        8859 => None,
        88591..=88599 => Some(format!("ISO-8859-{}", n - 88590)),
        885910..=885916 => Some(format!("ISO-8859-{}", n - 885900)),
        n => code_page_label(n).map(str::to_string),
    });
    let label = by_number.as_deref().unwrap_or(name);
    Encoding::for_label(label.as_bytes())
        .map(|encoding| TextEncoding::Known {
            encoding,
            source: "its .cpg",
        })
        .ok_or_else(|| {
            format!("its .cpg names the encoding `{name}`, which this reader does not know")
        })
}

/// The encoding label of a Windows code page, for those `encoding_rs` has.
fn code_page_label(code_page: u32) -> Option<&'static str> {
    Some(match code_page {
        65001 => "utf-8",
        936 => "gbk",
        54936 => "gb18030",
        950 => "big5",
        932 => "shift_jis",
        949 => "euc-kr",
        874 => "windows-874",
        866 => "ibm866",
        1250 => "windows-1250",
        1251 => "windows-1251",
        1252 => "windows-1252",
        1253 => "windows-1253",
        1254 => "windows-1254",
        1255 => "windows-1255",
        1256 => "windows-1256",
        1257 => "windows-1257",
        1258 => "windows-1258",
        _ => return None,
    })
}

/// The encoding of a dBase language driver id (header byte 29), when it names one
/// `encoding_rs` has; DOS code pages (437, 850, …) and 0 name none.
pub(super) fn encoding_from_driver(id: u8) -> TextEncoding {
    let code_page = match id {
        0x03 | 0x57 | 0x58 | 0x59 => 1252,
        0x4D | 0x7A => 936,
        0x4F | 0x78 => 950,
        0x4E | 0x79 => 949,
        0x13 | 0x7B => 932,
        0x50 | 0x7C => 874,
        0x26 | 0x65 => 866,
        0x7D => 1255,
        0x7E => 1256,
        0xC8 => 1250,
        0xC9 => 1251,
        0xCA => 1254,
        0xCB => 1253,
        0xCC => 1257,
        _ => return TextEncoding::Unnamed,
    };
    match code_page_label(code_page).and_then(|l| Encoding::for_label(l.as_bytes())) {
        Some(encoding) => TextEncoding::Known {
            encoding,
            source: "the table's language driver",
        },
        None => TextEncoding::Unnamed,
    }
}

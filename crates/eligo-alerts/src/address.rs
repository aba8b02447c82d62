//! E-mail addresses: checked before anything is stored or sent.

/// Longest address accepted (RFC 5321: 254 in practice).
pub const MAX_ADDRESS_CHARS: usize = 254;

/// Why an address was refused. The messages never repeat the address (it is personal data and
/// error messages end up in logs).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("e-mail address is empty")]
    Empty,
    #[error("e-mail address is longer than {MAX_ADDRESS_CHARS} characters")]
    TooLong,
    #[error("e-mail address contains a line break or control character")]
    ControlCharacter,
    #[error("e-mail address is not of the form name@domain.example")]
    Malformed,
}

/// The address, trimmed, when it is one mail can be sent to: one `@`, a plain local part and a
/// domain with a dot; no control characters (a CR/LF would inject headers), no display name.
pub fn validate_address(raw: &str) -> Result<String, AddressError> {
    if raw.chars().any(char::is_control) {
        return Err(AddressError::ControlCharacter);
    }
    let address = raw.trim();
    if address.is_empty() {
        return Err(AddressError::Empty);
    }
    if address.chars().count() > MAX_ADDRESS_CHARS {
        return Err(AddressError::TooLong);
    }
    let parsed: lettre::Address = address.parse().map_err(|_| AddressError::Malformed)?;
    let domain = parsed.domain();
    let plain = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-');
    if !domain.contains('.') || !domain.chars().all(plain) || domain.starts_with(['.', '-']) || domain.ends_with('.') {
        return Err(AddressError::Malformed);
    }
    Ok(address.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_pass_trimmed() {
        assert_eq!(validate_address("  ana.silva+trials@example.org ").as_deref(), Ok("ana.silva+trials@example.org"));
    }

    #[test]
    fn header_injection_and_malformed_addresses_are_refused() {
        assert_eq!(validate_address("a@example.org\r\nBcc: x@evil.example"), Err(AddressError::ControlCharacter));
        assert_eq!(validate_address("a@example.org\n"), Err(AddressError::ControlCharacter));
        for bad in ["plainaddress", "a@b", "@example.org", "a@@example.org", "Ana <a@example.org>", "a@exa mple.org"] {
            assert_eq!(validate_address(bad), Err(AddressError::Malformed), "{bad}");
        }
        assert_eq!(validate_address(""), Err(AddressError::Empty));
        assert_eq!(validate_address(&format!("{}@example.org", "a".repeat(260))), Err(AddressError::TooLong));
    }
}

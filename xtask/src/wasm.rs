//! A minimal, dependency-free reader for the parts of a wasm binary that fixture tooling needs:
//! function signatures, imports and exports. It is independent of `fayasm-decode` on purpose,
//! so `cargo xtask fixtures` works while the decoder is being changed, and it cross-checks it.

/// A wasm value type, as far as fixtures use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValType {
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// Any other type (v128, references), by its byte.
    Other(u8),
}

impl ValType {
    /// The manifest type name (`i32`, ...); `?` for others.
    pub fn name(self) -> &'static str {
        match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::Other(_) => "?",
        }
    }
}

/// A function signature.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signature {
    /// Parameter types.
    pub params: Vec<ValType>,
    /// Result types.
    pub results: Vec<ValType>,
}

impl Signature {
    /// `(i32, i64) -> (f64)`
    pub fn describe(&self) -> String {
        let names = |v: &[ValType]| v.iter().map(|t| t.name()).collect::<Vec<_>>().join(", ");
        format!("({}) -> ({})", names(&self.params), names(&self.results))
    }
}

/// What a module imports and exports.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// `module.name` of every import.
    pub imports: Vec<String>,
    /// Exported functions with their signatures, in export order.
    pub func_exports: Vec<(String, Signature)>,
    /// Names of exports that are not functions.
    pub other_exports: Vec<String>,
}

impl Summary {
    /// The signature of exported function `name`.
    pub fn func(&self, name: &str) -> Option<&Signature> {
        self.func_exports.iter().find(|(n, _)| n == name).map(|(_, s)| s)
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| format!("unexpected end at byte {}", self.pos))?;
        self.pos += 1;
        Ok(b)
    }
    fn u32(&mut self) -> Result<u32, String> {
        let mut result = 0u64;
        for shift in (0..35).step_by(7) {
            let b = self.byte()?;
            result |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return u32::try_from(result)
                    .map_err(|_| format!("LEB128 too large at byte {}", self.pos));
            }
        }
        Err(format!("LEB128 too long at byte {}", self.pos))
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end =
            end.ok_or_else(|| format!("section or name runs past the end (byte {})", self.pos))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn name(&mut self) -> Result<String, String> {
        let n = self.u32()? as usize;
        let raw = self.take(n)?;
        String::from_utf8(raw.to_vec())
            .map_err(|_| format!("name is not UTF-8 at byte {}", self.pos))
    }
    fn val_type(&mut self) -> Result<ValType, String> {
        Ok(match self.byte()? {
            0x7f => ValType::I32,
            0x7e => ValType::I64,
            0x7d => ValType::F32,
            0x7c => ValType::F64,
            other => ValType::Other(other),
        })
    }
    fn limits(&mut self) -> Result<(), String> {
        let flags = self.byte()?;
        self.u32()?;
        if flags & 1 != 0 {
            self.u32()?;
        }
        Ok(())
    }
}

/// The size in bytes of the first section with id `id` (10 is the code section), `None` if
/// the module has none.
pub fn section_size(bytes: &[u8], id: u8) -> Result<Option<usize>, String> {
    if bytes.len() < 8 || &bytes[..4] != b"\0asm" {
        return Err("not a wasm binary (bad magic)".into());
    }
    let mut r = Reader { bytes, pos: 8 };
    while r.pos < bytes.len() {
        let this = r.byte()?;
        let size = r.u32()? as usize;
        r.take(size)?;
        if this == id {
            return Ok(Some(size));
        }
    }
    Ok(None)
}

/// Reads the type, import, function and export sections of `bytes`.
pub fn summarize(bytes: &[u8]) -> Result<Summary, String> {
    if bytes.len() < 8 || &bytes[..4] != b"\0asm" {
        return Err("not a wasm binary (bad magic)".into());
    }
    if bytes[4..8] != [1, 0, 0, 0] {
        return Err("unsupported wasm version".into());
    }
    let mut r = Reader { bytes, pos: 8 };
    let mut types: Vec<Signature> = Vec::new();
    let mut funcs: Vec<u32> = Vec::new(); // type index of every function, imports first
    let mut summary = Summary::default();
    let mut exports: Vec<(String, u8, u32)> = Vec::new();
    while r.pos < bytes.len() {
        let id = r.byte()?;
        let size = r.u32()? as usize;
        let body = r.take(size)?;
        let mut s = Reader { bytes: body, pos: 0 };
        match id {
            1 => {
                for _ in 0..s.u32()? {
                    if s.byte()? != 0x60 {
                        return Err("type section entry is not a function type".into());
                    }
                    let mut sig = Signature::default();
                    for _ in 0..s.u32()? {
                        sig.params.push(s.val_type()?);
                    }
                    for _ in 0..s.u32()? {
                        sig.results.push(s.val_type()?);
                    }
                    types.push(sig);
                }
            }
            2 => {
                for _ in 0..s.u32()? {
                    let module = s.name()?;
                    let name = s.name()?;
                    summary.imports.push(format!("{module}.{name}"));
                    match s.byte()? {
                        0 => funcs.push(s.u32()?),
                        1 => {
                            s.byte()?;
                            s.limits()?;
                        }
                        2 => s.limits()?,
                        3 => {
                            s.byte()?;
                            s.byte()?;
                        }
                        k => return Err(format!("unknown import kind {k}")),
                    }
                }
            }
            3 => {
                for _ in 0..s.u32()? {
                    funcs.push(s.u32()?);
                }
            }
            7 => {
                for _ in 0..s.u32()? {
                    let name = s.name()?;
                    let kind = s.byte()?;
                    let index = s.u32()?;
                    exports.push((name, kind, index));
                }
            }
            _ => {}
        }
    }
    for (name, kind, index) in exports {
        if kind != 0 {
            summary.other_exports.push(name);
            continue;
        }
        let ty = funcs
            .get(index as usize)
            .ok_or_else(|| format!("export `{name}` names missing function {index}"))?;
        let sig = types
            .get(*ty as usize)
            .ok_or_else(|| format!("function {index} has missing type {ty}"))?;
        summary.func_exports.push((name, sig.clone()));
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_hand_made_module() {
        // (module (import "env" "f" (func (param i32))) (func (param i64 f32) (result f64 i32) ...)
        //         (export "g" (func 1)) (memory 1) (export "m" (memory 0)))
        let bytes = [
            0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, // header
            1, 12, 2, 0x60, 1, 0x7f, 0, 0x60, 2, 0x7e, 0x7d, 2, 0x7c, 0x7f, // types
            2, 9, 1, 3, b'e', b'n', b'v', 1, b'f', 0, 0, // import
            3, 2, 1, 1, // function
            5, 3, 1, 0, 1, // memory
            7, 9, 2, 1, b'g', 0, 1, 1, b'm', 2, 0, // exports
            10, 7, 1, 5, 0, 0x44, 0, 0, 0, // (body is never read)
        ];
        let s = summarize(&bytes).unwrap();
        assert_eq!(s.imports, ["env.f"]);
        assert_eq!(s.func("g").unwrap().describe(), "(i64, f32) -> (f64, i32)");
        assert_eq!(s.other_exports, ["m"]);
        assert_eq!(section_size(&bytes, 10).unwrap(), Some(7));
        assert_eq!(section_size(&bytes, 11).unwrap(), None);
        assert!(summarize(&bytes[..20]).is_err());
        assert!(summarize(b"nope").is_err());
    }
}

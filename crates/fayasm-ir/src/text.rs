//! A readable text dump of microcode, for tests, snapshots and debugging.
//!
//! One op per line: `   3: I32Add dst=s4 lhs=s0 rhs=s5`. Operands print by declared type:
//! `Slot` as `sN`, `BranchOffset` as the absolute target `@N` (or, where the op's index is
//! unknown, as the signed relative distance `+N` / `-N`), everything else in decimal. Generated
//! from [`for_each_op!`](crate::for_each_op).

use crate::{FuncCode, Op};
use alloc::string::String;
use core::fmt::{self, Write};

/// Dumps `code`: a header line `params=P locals=L frame=F`, then one line per op, prefixed by its
/// index.
pub fn dump(code: &FuncCode) -> String {
    let mut out = String::new();
    // Writing to a `String` cannot fail.
    let _ = writeln!(
        out,
        "params={} locals={} frame={}",
        code.param_cells, code.local_cells, code.frame_cells
    );
    let width = decimal_digits(code.ops.len().saturating_sub(1)).max(4);
    for (index, op) in code.ops.iter().enumerate() {
        let _ = writeln!(out, "{index:>width$}: {}", display_at(op, index));
    }
    out
}

/// Formats `op` as the op at index `index` of its function, so branch offsets print as absolute
/// targets `@N` (as in [`dump`], without the index prefix).
pub fn display_at(op: &Op, index: usize) -> impl fmt::Display + '_ {
    OpAt { op, at: Some(index) }
}

fn decimal_digits(mut n: usize) -> usize {
    let mut digits = 1;
    while n >= 10 {
        n /= 10;
        digits += 1;
    }
    digits
}

struct OpAt<'a> {
    op: &'a Op,
    at: Option<usize>,
}

impl fmt::Display for OpAt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_op(self.op, self.at, f)
    }
}

/// Formats an op the way [`dump`] does, without the index prefix; branch offsets print as signed
/// relative distances (`offset=-4`) since the op's index is unknown here.
impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_op(self, None, f)
    }
}

/// Writes ` name=value` for one operand, chosen by the operand's declared type token.
macro_rules! write_field {
    ($f:ident, $at:ident, $name:ident, Slot, $v:expr) => {
        write!($f, " {}=s{}", stringify!($name), $v)?
    };
    ($f:ident, $at:ident, $name:ident, BranchOffset, $v:expr) => {
        match $at {
            Some(index) => write!($f, " {}=@{}", stringify!($name), index as i64 + i64::from($v))?,
            None => write!($f, " {}={:+}", stringify!($name), $v)?,
        }
    };
    ($f:ident, $at:ident, $name:ident, $other:ident, $v:expr) => {
        write!($f, " {}={}", stringify!($name), $v)?
    };
}

macro_rules! define_text {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident { $($field:ident : $fty:ident),* } $family:ident $(($($sem:tt)*))? ;
    )*) => {
        fn write_op(op: &Op, at: Option<usize>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(op.opcode().name())?;
            match *op {
                $(Op::$name { $($field),* } => { $(write_field!(f, at, $field, $fty, $field);)* })*
            }
            Ok(())
        }
    };
}

crate::for_each_op!(define_text);

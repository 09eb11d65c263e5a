;; 64-bit tables (memory64's table64): declarations, table.get/set/size/grow/fill with i64
;; indices, traps at the boundary and for indices from 2^32 up (no wrapping near 2^64).
;; Written for fayasm; run by `cargo test -p fayasm-wast --test spec` as suite `fayasm`.

;; Limits: anything up to 2^64 - 1 is a valid 64-bit table type.
(module (table i64 0 funcref))
(module (table i64 1 256 funcref))
(module (table i64 0 0x1_0000_0000 externref))
(module (table i64 0 0xffff_ffff_ffff_ffff funcref))
(module (table i64 5 funcref) (table 3 funcref) (table i64 0 externref))
(assert_invalid (module (table i64 2 1 funcref)) "size minimum must not be greater than maximum")


(module
  (type $v (func))
  (table $t i64 3 10 funcref)
  (table $e i64 2 externref)
  (func $f (export "f"))
  (elem declare func $f)

  (func (export "size") (result i64) (table.size $t))
  (func (export "size-e") (result i64) (table.size $e))
  (func (export "is-null") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "set-f") (param i64) (table.set $t (local.get 0) (ref.func $f)))
  (func (export "set-null") (param i64) (table.set $t (local.get 0) (ref.null func)))
  (func (export "get-e") (param i64) (result externref) (table.get $e (local.get 0)))
  (func (export "set-e") (param i64 externref) (table.set $e (local.get 0) (local.get 1)))
  (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "grow-f") (param i64) (result i64) (table.grow $t (ref.func $f) (local.get 0)))
  (func (export "grow-e") (param i64 externref) (result i64)
    (table.grow $e (local.get 1) (local.get 0)))
  (func (export "fill-f") (param i64 i64) (table.fill $t (local.get 0) (ref.func $f) (local.get 1)))
  (func (export "fill-e") (param i64 externref i64)
    (table.fill $e (local.get 0) (local.get 1) (local.get 2)))
  ;; Constant operands (the lowering sees an i64.const, not a local).
  (func (export "get-const-big") (result i32) (ref.is_null (table.get $t (i64.const 0x1_0000_0000))))
  (func (export "get-const-1") (result i32) (ref.is_null (table.get $t (i64.const 1))))
  (func (export "size-plus") (result i64) (i64.add (table.size $t) (i64.const 0x1_0000_0000)))
  ;; table.size used as a full i64 in a comparison.
  (func (export "size-is-i64") (result i32) (i64.lt_u (table.size $t) (i64.const 0x1_0000_0000)))
)

(assert_return (invoke "size") (i64.const 3))
(assert_return (invoke "size-e") (i64.const 2))
(assert_return (invoke "size-plus") (i64.const 0x1_0000_0003))
(assert_return (invoke "size-is-i64") (i32.const 1))
(assert_return (invoke "is-null" (i64.const 0)) (i32.const 1))
(assert_return (invoke "is-null" (i64.const 2)) (i32.const 1))
(assert_trap (invoke "is-null" (i64.const 3)) "out of bounds table access")
(assert_trap (invoke "is-null" (i64.const 0x1_0000_0000)) "out of bounds table access")
(assert_trap (invoke "is-null" (i64.const 0x1_0000_0001)) "out of bounds table access")
(assert_trap (invoke "is-null" (i64.const 0xffff_ffff)) "out of bounds table access")
(assert_trap (invoke "is-null" (i64.const -1)) "out of bounds table access")
(assert_trap (invoke "is-null" (i64.const 0x8000_0000_0000_0000)) "out of bounds table access")
(assert_trap (invoke "get-const-big") "out of bounds table access")
(assert_return (invoke "get-const-1") (i32.const 1))

(assert_return (invoke "set-f" (i64.const 1)))
(assert_return (invoke "is-null" (i64.const 1)) (i32.const 0))
(assert_return (invoke "get-const-1") (i32.const 0))
(assert_return (invoke "set-null" (i64.const 1)))
(assert_return (invoke "is-null" (i64.const 1)) (i32.const 1))
(assert_trap (invoke "set-f" (i64.const 3)) "out of bounds table access")
;; An index whose low 32 bits are in bounds is still out of bounds.
(assert_trap (invoke "set-f" (i64.const 0x1_0000_0001)) "out of bounds table access")
(assert_return (invoke "is-null" (i64.const 1)) (i32.const 1))
(assert_trap (invoke "set-f" (i64.const -1)) "out of bounds table access")

(assert_return (invoke "get-e" (i64.const 1)) (ref.null extern))
(assert_return (invoke "set-e" (i64.const 1) (ref.extern 7)))
(assert_return (invoke "get-e" (i64.const 1)) (ref.extern 7))
(assert_trap (invoke "get-e" (i64.const 0x1_0000_0001)) "out of bounds table access")
(assert_trap (invoke "set-e" (i64.const 0x1_0000_0000) (ref.extern 1)) "out of bounds table access")

;; table.grow: the old size as an i64, -1 (all 64 bits) on failure.
(assert_return (invoke "grow" (i64.const 0)) (i64.const 3))
(assert_return (invoke "grow-f" (i64.const 2)) (i64.const 3))
(assert_return (invoke "size") (i64.const 5))
(assert_return (invoke "is-null" (i64.const 4)) (i32.const 0))
(assert_return (invoke "is-null" (i64.const 2)) (i32.const 1))
(assert_return (invoke "grow" (i64.const 6)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 0x1_0000_0000)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 0x1_0000_0001)) (i64.const -1))
(assert_return (invoke "grow" (i64.const -1)) (i64.const -1))
(assert_return (invoke "size") (i64.const 5))
(assert_return (invoke "grow" (i64.const 5)) (i64.const 5))
(assert_return (invoke "size") (i64.const 10))
(assert_return (invoke "grow" (i64.const 1)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 0)) (i64.const 10))
;; Without a maximum: growing by 2^32 or near 2^64 fails (a resource limit), never wraps.
(assert_return (invoke "grow-e" (i64.const 3) (ref.extern 9)) (i64.const 2))
(assert_return (invoke "size-e") (i64.const 5))
(assert_return (invoke "get-e" (i64.const 4)) (ref.extern 9))
(assert_return (invoke "grow-e" (i64.const 0x1_0000_0000) (ref.null extern)) (i64.const -1))
(assert_return (invoke "grow-e" (i64.const 0xffff_ffff_ffff_fffb) (ref.null extern)) (i64.const -1))
(assert_return (invoke "grow-e" (i64.const -1) (ref.null extern)) (i64.const -1))
(assert_return (invoke "size-e") (i64.const 5))

;; table.fill: i64 start and length; bounds are checked on the full values.
(assert_return (invoke "fill-f" (i64.const 7) (i64.const 3)))
(assert_return (invoke "is-null" (i64.const 6)) (i32.const 1))
(assert_return (invoke "is-null" (i64.const 7)) (i32.const 0))
(assert_return (invoke "is-null" (i64.const 9)) (i32.const 0))
(assert_return (invoke "fill-f" (i64.const 10) (i64.const 0)))
(assert_trap (invoke "fill-f" (i64.const 11) (i64.const 0)) "out of bounds table access")
(assert_trap (invoke "fill-f" (i64.const 8) (i64.const 3)) "out of bounds table access")
(assert_trap (invoke "fill-f" (i64.const 0) (i64.const 0x1_0000_0001)) "out of bounds table access")
(assert_trap (invoke "fill-f" (i64.const 0x1_0000_0000) (i64.const 0)) "out of bounds table access")
(assert_trap (invoke "fill-f" (i64.const 1) (i64.const -1)) "out of bounds table access")
(assert_trap (invoke "fill-f" (i64.const -1) (i64.const 1)) "out of bounds table access")
(assert_trap (invoke "fill-f" (i64.const -1) (i64.const 2)) "out of bounds table access")
(assert_return (invoke "is-null" (i64.const 0)) (i32.const 1))
(assert_return (invoke "fill-e" (i64.const 0) (ref.extern 3) (i64.const 2)))
(assert_return (invoke "get-e" (i64.const 1)) (ref.extern 3))
(assert_trap (invoke "fill-e" (i64.const 0xffff_ffff_ffff_ffff) (ref.extern 3) (i64.const 1))
  "out of bounds table access")

;; Validation: every operand of a 64-bit table instruction is an i64, and results are i64.
(assert_invalid
  (module (table i64 1 funcref) (func (drop (table.get 0 (i32.const 0)))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (func (table.set 0 (i32.const 0) (ref.null func))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (func (result i32) (table.size 0)))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (func (result i64) (table.grow 0 (ref.null func) (i32.const 1))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (func (result i32) (table.grow 0 (ref.null func) (i64.const 1))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (func (table.fill 0 (i32.const 0) (ref.null func) (i64.const 1))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (func (table.fill 0 (i64.const 0) (ref.null func) (i32.const 1))))
  "type mismatch")
;; And a 32-bit table still takes i32s.
(assert_invalid
  (module (table 1 funcref) (func (drop (table.get 0 (i64.const 0)))))
  "type mismatch")
(assert_invalid
  (module (table 1 funcref) (func (result i64) (table.size 0)))
  "type mismatch")

;; 64-bit tables (memory64's table64) across modules: exports, imports (the index type must
;; match), the spectest module's `table64`, sharing one table between instances.
;; Written for fayasm; suite `fayasm` of `cargo test -p fayasm-wast --test spec`.

(module $A
  (type $i (func (result i32)))
  (func $seven (type $i) (i32.const 7))
  (table $t (export "t") i64 2 10 funcref)
  (table $t32 (export "t32") 2 funcref)
  (elem (table $t) (i64.const 1) func $seven)
  (func (export "size") (result i64) (table.size $t))
  (func (export "call") (param i64) (result i32) (call_indirect $t (type $i) (local.get 0)))
)
(register "A" $A)

(module $B
  (type $i (func (result i32)))
  (import "A" "t" (table $t i64 2 funcref))
  (func $eight (type $i) (i32.const 8))
  (elem (table $t) (i64.const 0) func $eight)
  (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "call") (param i64) (result i32) (call_indirect $t (type $i) (local.get 0)))
)

;; The segment of $B wrote into $A's table; growth through $B is seen by $A.
(assert_return (invoke $A "call" (i64.const 0)) (i32.const 8))
(assert_return (invoke $B "call" (i64.const 1)) (i32.const 7))
(assert_return (invoke $B "grow" (i64.const 3)) (i64.const 2))
(assert_return (invoke $A "size") (i64.const 5))
(assert_trap (invoke $A "call" (i64.const 4)) "uninitialized element")
(assert_trap (invoke $B "call" (i64.const 5)) "undefined element")
(assert_return (invoke $B "grow" (i64.const 6)) (i64.const -1))
(assert_return (invoke $B "grow" (i64.const 5)) (i64.const 5))
(assert_return (invoke $A "size") (i64.const 10))

;; Import matching: the index type must agree, as must limits.
(module (import "A" "t" (table i64 10 funcref)))
(module (import "A" "t" (table i64 0 10 funcref)))
(assert_unlinkable (module (import "A" "t" (table 1 funcref))) "incompatible import type")
(assert_unlinkable (module (import "A" "t32" (table i64 1 funcref))) "incompatible import type")
(assert_unlinkable (module (import "A" "t" (table i64 11 funcref))) "incompatible import type")
(assert_unlinkable (module (import "A" "t" (table i64 0 9 funcref))) "incompatible import type")
(assert_unlinkable (module (import "A" "t" (table i64 1 externref))) "incompatible import type")

;; The spectest module has a 64-bit table of 10..20 elements, and a 32-bit one.
(module
  (import "spectest" "table64" (table $s i64 10 20 funcref))
  (table $own i64 0 funcref)
  (func (export "size") (result i64) (table.size $s))
  (func (export "null") (param i64) (result i32) (ref.is_null (table.get $s (local.get 0))))
)
(assert_return (invoke "size") (i64.const 10))
(assert_return (invoke "null" (i64.const 9)) (i32.const 1))
(assert_trap (invoke "null" (i64.const 10)) "out of bounds table access")
(assert_unlinkable (module (import "spectest" "table64" (table 10 funcref))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "table" (table i64 10 funcref))) "incompatible import type")

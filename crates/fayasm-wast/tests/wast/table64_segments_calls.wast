;; 64-bit tables (memory64's table64): element segments with i64 offsets, table.init,
;; table.copy between 64-bit tables and between a 32- and a 64-bit table (the length takes the
;; smaller index type), call_indirect and return_call_indirect through a 64-bit table, table 0
;; and others. Written for fayasm; suite `fayasm` of `cargo test -p fayasm-wast --test spec`.

(module
  (type $i (func (result i32)))
  (type $ii (func (param i32) (result i32)))
  (func $one (type $i) (i32.const 1))
  (func $two (type $i) (i32.const 2))
  (func $three (type $i) (i32.const 3))
  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))

  ;; Table 0 is 64-bit: call_indirect through it does not take the 32-bit table-0 path's index.
  (table $t64 (export "t64") i64 8 funcref)
  (table $t32 (export "t32") 8 funcref)
  (table $u64 i64 4 funcref)
  (elem (table $t64) (i64.const 1) func $one $two)
  (elem (table $t64) (offset (i64.add (i64.const 3) (i64.const 1))) func $inc)
  (elem (table $t32) (i32.const 0) func $three)
  (elem $p func $one $two $three)
  (elem $pe funcref (ref.func $three) (ref.null func))

  (func (export "call") (param i64) (result i32) (call_indirect $t64 (type $i) (local.get 0)))
  (func (export "call-inc") (param i64 i32) (result i32)
    (call_indirect $t64 (type $ii) (local.get 1) (local.get 0)))
  (func (export "call-u") (param i64) (result i32) (call_indirect $u64 (type $i) (local.get 0)))
  (func (export "call32") (param i32) (result i32) (call_indirect $t32 (type $i) (local.get 0)))
  (func (export "call-const-big") (result i32)
    (call_indirect $t64 (type $i) (i64.const 0x1_0000_0001)))
  (func (export "tail") (param i64) (result i32)
    (return_call_indirect $t64 (type $i) (local.get 0)))
  (func (export "tail-u") (param i64) (result i32)
    (return_call_indirect $u64 (type $i) (local.get 0)))

  (func (export "init64") (param i64 i32 i32) (table.init $t64 $p (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init-u") (param i64 i32 i32) (table.init $u64 $pe (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop-p") (elem.drop $p))
  ;; 64 <- 64: i64 dst, src and length.
  (func (export "copy-64-64") (param i64 i64 i64) (table.copy $u64 $t64 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy-self") (param i64 i64 i64) (table.copy $t64 $t64 (local.get 0) (local.get 1) (local.get 2)))
  ;; 32 <- 64: i32 dst, i64 src, i32 length.
  (func (export "copy-32-64") (param i32 i64 i32) (table.copy $t32 $t64 (local.get 0) (local.get 1) (local.get 2)))
  ;; 64 <- 32: i64 dst, i32 src, i32 length.
  (func (export "copy-64-32") (param i64 i32 i32) (table.copy $t64 $t32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "size64") (result i64) (table.size $t64))
)

(assert_return (invoke "call" (i64.const 1)) (i32.const 1))
(assert_return (invoke "call" (i64.const 2)) (i32.const 2))
(assert_return (invoke "call-inc" (i64.const 4) (i32.const 41)) (i32.const 42))
(assert_trap (invoke "call" (i64.const 0)) "uninitialized element")
(assert_trap (invoke "call" (i64.const 4)) "indirect call type mismatch")
(assert_trap (invoke "call" (i64.const 8)) "undefined element")
(assert_trap (invoke "call" (i64.const 0x1_0000_0001)) "undefined element")
(assert_trap (invoke "call" (i64.const 0x1_0000_0000)) "undefined element")
(assert_trap (invoke "call" (i64.const -1)) "undefined element")
(assert_trap (invoke "call" (i64.const -0x7fff_ffff_ffff_ffff)) "undefined element")
(assert_trap (invoke "call-const-big") "undefined element")
(assert_return (invoke "call32" (i32.const 0)) (i32.const 3))
(assert_trap (invoke "call-u" (i64.const 0)) "uninitialized element")
(assert_trap (invoke "call-u" (i64.const 4)) "undefined element")
(assert_trap (invoke "call-u" (i64.const 0x1_0000_0000)) "undefined element")
(assert_return (invoke "tail" (i64.const 2)) (i32.const 2))
(assert_trap (invoke "tail" (i64.const 0x1_0000_0002)) "undefined element")
(assert_trap (invoke "tail" (i64.const 0)) "uninitialized element")
(assert_trap (invoke "tail" (i64.const 4)) "indirect call type mismatch")
(assert_trap (invoke "tail-u" (i64.const 0xffff_ffff_ffff_ffff)) "undefined element")

;; table.init: i64 destination, i32 segment offset and length.
(assert_return (invoke "init64" (i64.const 5) (i32.const 0) (i32.const 3)))
(assert_return (invoke "call" (i64.const 5)) (i32.const 1))
(assert_return (invoke "call" (i64.const 7)) (i32.const 3))
(assert_return (invoke "init64" (i64.const 8) (i32.const 0) (i32.const 0)))
(assert_trap (invoke "init64" (i64.const 9) (i32.const 0) (i32.const 0)) "out of bounds table access")
(assert_trap (invoke "init64" (i64.const 6) (i32.const 0) (i32.const 3)) "out of bounds table access")
(assert_trap (invoke "init64" (i64.const 0x1_0000_0000) (i32.const 0) (i32.const 1)) "out of bounds table access")
(assert_trap (invoke "init64" (i64.const 0x1_0000_0000) (i32.const 0) (i32.const 0)) "out of bounds table access")
(assert_trap (invoke "init64" (i64.const -1) (i32.const 0) (i32.const 1)) "out of bounds table access")
(assert_trap (invoke "init64" (i64.const 0) (i32.const 2) (i32.const 2)) "out of bounds table access")
(assert_return (invoke "init-u" (i64.const 2) (i32.const 0) (i32.const 2)))
(assert_return (invoke "call-u" (i64.const 2)) (i32.const 3))
(assert_trap (invoke "call-u" (i64.const 3)) "uninitialized element")
(assert_return (invoke "drop-p"))
(assert_trap (invoke "init64" (i64.const 0) (i32.const 0) (i32.const 1)) "out of bounds table access")
(assert_return (invoke "init64" (i64.const 0) (i32.const 0) (i32.const 0)))

;; table.copy 64 <- 64. $t64 is [null one two null inc one two three].
(assert_return (invoke "copy-64-64" (i64.const 0) (i64.const 5) (i64.const 2)))
(assert_return (invoke "call-u" (i64.const 0)) (i32.const 1))
(assert_return (invoke "call-u" (i64.const 1)) (i32.const 2))
(assert_trap (invoke "copy-64-64" (i64.const 3) (i64.const 0) (i64.const 2)) "out of bounds table access")
(assert_trap (invoke "copy-64-64" (i64.const 0) (i64.const 7) (i64.const 2)) "out of bounds table access")
(assert_trap (invoke "copy-64-64" (i64.const 0) (i64.const 0) (i64.const 0x1_0000_0001)) "out of bounds table access")
(assert_trap (invoke "copy-64-64" (i64.const 0x1_0000_0000) (i64.const 0) (i64.const 0)) "out of bounds table access")
(assert_trap (invoke "copy-64-64" (i64.const 0) (i64.const 0x1_0000_0000) (i64.const 0)) "out of bounds table access")
(assert_trap (invoke "copy-64-64" (i64.const -1) (i64.const 0) (i64.const 1)) "out of bounds table access")
(assert_trap (invoke "copy-64-64" (i64.const 1) (i64.const 1) (i64.const -1)) "out of bounds table access")
(assert_return (invoke "copy-64-64" (i64.const 4) (i64.const 8) (i64.const 0)))
;; Overlapping copies within one 64-bit table, both directions.
(assert_return (invoke "copy-self" (i64.const 0) (i64.const 1) (i64.const 3)))
(assert_return (invoke "call" (i64.const 0)) (i32.const 1))
(assert_return (invoke "call" (i64.const 1)) (i32.const 2))
(assert_trap (invoke "call" (i64.const 2)) "uninitialized element")
(assert_return (invoke "copy-self" (i64.const 5) (i64.const 4) (i64.const 3)))
(assert_return (invoke "call" (i64.const 6)) (i32.const 1))
(assert_return (invoke "call" (i64.const 7)) (i32.const 2))
(assert_return (invoke "size64") (i64.const 8))

;; table.copy between a 32-bit and a 64-bit table.
(assert_return (invoke "copy-32-64" (i32.const 1) (i64.const 6) (i32.const 2)))
(assert_return (invoke "call32" (i32.const 1)) (i32.const 1))
(assert_return (invoke "call32" (i32.const 2)) (i32.const 2))
(assert_trap (invoke "copy-32-64" (i32.const 0) (i64.const 0x1_0000_0000) (i32.const 0)) "out of bounds table access")
(assert_trap (invoke "copy-32-64" (i32.const 0) (i64.const 7) (i32.const 2)) "out of bounds table access")
(assert_trap (invoke "copy-32-64" (i32.const 7) (i64.const 0) (i32.const 2)) "out of bounds table access")
(assert_trap (invoke "copy-32-64" (i32.const 0) (i64.const 0) (i32.const -1)) "out of bounds table access")
(assert_return (invoke "copy-64-32" (i64.const 0) (i32.const 0) (i32.const 1)))
(assert_return (invoke "call" (i64.const 0)) (i32.const 3))
(assert_trap (invoke "copy-64-32" (i64.const 0x1_0000_0000) (i32.const 0) (i32.const 0)) "out of bounds table access")
(assert_trap (invoke "copy-64-32" (i64.const 7) (i32.const 0) (i32.const 2)) "out of bounds table access")
(assert_trap (invoke "copy-64-32" (i64.const 0) (i32.const -1) (i32.const 1)) "out of bounds table access")

;; An active segment with an out-of-bounds i64 offset traps at instantiation, also one whose
;; low 32 bits would fit, and one that would wrap around 2^64.
(assert_trap
  (module (table i64 4 funcref) (func $f) (elem (table 0) (i64.const 0x1_0000_0001) func $f))
  "out of bounds table access")
(assert_trap
  (module (table i64 4 funcref) (func $f) (elem (table 0) (i64.const -1) func $f $f))
  "out of bounds table access")
(assert_trap
  (module (table i64 4 funcref) (func $f) (elem (table 0) (i64.const 3) func $f $f))
  "out of bounds table access")
(module (table i64 4 funcref) (func $f) (elem (table 0) (i64.const 4) func))

;; Validation.
(assert_invalid
  (module (table i64 1 funcref) (func $f) (elem (table 0) (i32.const 0) func $f))
  "type mismatch")
(assert_invalid
  (module (table 1 funcref) (func $f) (elem (table 0) (i64.const 0) func $f))
  "type mismatch")
(assert_invalid
  (module (type $t (func)) (table i64 1 funcref) (func (call_indirect (type $t) (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (type $t (func)) (table i64 1 funcref) (func (return_call_indirect (type $t) (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (type $t (func)) (table 1 funcref) (func (call_indirect (type $t) (i64.const 0))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (elem $e func) (func (table.init 0 $e (i32.const 0) (i32.const 0) (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (elem $e func) (func (table.init 0 $e (i64.const 0) (i64.const 0) (i32.const 0))))
  "type mismatch")
;; Mixed copy: the length is an i32 when either table is 32-bit.
(assert_invalid
  (module (table $a i64 1 funcref) (table $b 1 funcref)
    (func (table.copy $a $b (i64.const 0) (i32.const 0) (i64.const 0))))
  "type mismatch")
(assert_invalid
  (module (table $a i64 1 funcref) (table $b 1 funcref)
    (func (table.copy $b $a (i32.const 0) (i32.const 0) (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (table $a i64 1 funcref) (table $b i64 1 funcref)
    (func (table.copy $a $b (i64.const 0) (i64.const 0) (i32.const 0))))
  "type mismatch")

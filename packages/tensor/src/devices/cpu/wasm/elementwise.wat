;; Float32 elementwise kernels in WebAssembly SIMD (128-bit), four lanes at a time: the loops that plain
;; JavaScript runs at about 1.8 ns/element over Float32Arrays (float32↔float64 conversions, bounds checks).
;; Offsets are in bytes and 16-aligned; n is rounded up to a multiple of 4 by the caller (padding lanes are
;; computed and ignored). IEEE semantics of f32x4.add/sub/mul/div: the same results as Math.fround(a op b).
(module
  (memory (export "memory") 1)

  ;; out = a op b over n floats; op: 0 add, 1 sub, 2 mul, 3 div.
  (func (export "binary") (param $op i32) (param $a i32) (param $b i32) (param $out i32) (param $n i32)
    (local $end i32) (local $x v128) (local $y v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
      (loop $lanes
        (local.set $x (v128.load (local.get $a)))
        (local.set $y (v128.load (local.get $b)))
        (v128.store (local.get $out)
          (if (result v128) (i32.lt_u (local.get $op) (i32.const 2))
            (then (if (result v128) (local.get $op)
              (then (f32x4.sub (local.get $x) (local.get $y)))
              (else (f32x4.add (local.get $x) (local.get $y)))))
            (else (if (result v128) (i32.eq (local.get $op) (i32.const 2))
              (then (f32x4.mul (local.get $x) (local.get $y)))
              (else (f32x4.div (local.get $x) (local.get $y)))))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br_if $lanes (i32.lt_u (local.get $a) (local.get $end))))))

  ;; y = y + alpha·x over n floats (an SGD step is alpha = −lr, x = grad, y = param).
  (func (export "axpy") (param $alpha f32) (param $x i32) (param $y i32) (param $n i32)
    (local $end i32) (local $s v128)
    (local.set $s (f32x4.splat (local.get $alpha)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (loop $lanes
        (v128.store (local.get $y)
          (f32x4.add (v128.load (local.get $y)) (f32x4.mul (local.get $s) (v128.load (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br_if $lanes (i32.lt_u (local.get $x) (local.get $end))))))
)

;; Fused SELU over float32, four lanes at a time, in WebAssembly SIMD (128-bit):
;;   y  = λ·x            (x > 0)      y  = λα·(eˣ − 1)  (x ≤ 0)
;;   d  = λ              (x > 0)      d  = λα·eˣ        (x ≤ 0)      d = ∂y/∂x, optional (d = 0: not written)
;; (Klambauer et al., "Self-Normalizing Neural Networks", NeurIPS 2017, Eq. 2.) The gradient at exactly 0 takes
;; the negative branch, λα, as PyTorch does.
;;
;; eˣ − 1 without cancellation near 0: with x = n·ln2 + r, |r| ≤ ln2/2 (Cody–Waite: ln2 split in two parts),
;;   q = eʳ − 1 = r + r²·P(r), P of degree 4 fitted for least maximum relative error of q on |r| ≤ ln2/2
;;   (iteratively reweighted least squares; 0.73 ulp in float32, vs 0.68 for the degree-5 Taylor P)
;;   eˣ − 1 = 2ⁿ·q + (2ⁿ − 1),   eˣ = 2ⁿ·q + 2ⁿ,   2ⁿ built from the exponent bits (n ≥ −126).
;; Only single-instruction SIMD ops on x64 (pmin/pmax, not min/max; the 1.5·2²³ rounding trick, not
;; nearest + trunc_sat): the NaN-exact min/max and trunc_sat expand to long sequences in V8 (3× slower).
;; The negative branch evaluates min(x, 0), clamped at −87, so a large positive x never computes e^x = ∞;
;; NaN propagates (min and the polynomial keep it).
(module
  ;; One module, two builds: this memory, or for worker threads (build-wasm.mjs applies the @shared line)
  (memory (export "memory") 1) ;; @shared: (import "env" "memory" (memory 1 65536 shared))

  ;; x, y, d: byte offsets of n floats each, 16-aligned; n is rounded up to a multiple of 4 by the caller
  ;; (padding lanes are computed and ignored). d = 0 skips the derivative.
  (func (export "selu") (param $x i32) (param $y i32) (param $d i32) (param $n i32)
    (local $end i32) (local $v v128) (local $t v128) (local $r v128) (local $q v128) (local $s v128)
    (local $pos v128) (local $em1 v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (loop $lanes
        (local.set $v (v128.load (local.get $x)))
        (local.set $pos (f32x4.gt (local.get $v) (f32x4.splat (f32.const 0))))
        ;; t = clamp(min(x, 0), -87): the argument of the negative branch
        (local.set $t (f32x4.pmax (f32x4.pmin (local.get $v) (f32x4.splat (f32.const 0)))
          (f32x4.splat (f32.const -87))))
        ;; k = t·log2 e + 1.5·2²³ rounds to nearest: its low mantissa bits hold the integer n; n = k − 1.5·2²³
        (local.set $s (f32x4.add (f32x4.mul (local.get $t) (f32x4.splat (f32.const 1.44269504088896341)))
          (f32x4.splat (f32.const 12582912))))
        (local.set $q (f32x4.sub (local.get $s) (f32x4.splat (f32.const 12582912))))
        ;; r = t − n·ln2 (hi + lo)
        (local.set $r (f32x4.sub (local.get $t) (f32x4.mul (local.get $q) (f32x4.splat (f32.const 0.693145751953125)))))
        (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $q) (f32x4.splat (f32.const 1.428606765330187e-6)))))
        ;; s = 2ⁿ: bits(k)·2²³ keeps only n's bits in the exponent field (mod 2³²); add the bias 127
        (local.set $s (i32x4.add (i32x4.shl (local.get $s) (i32.const 23)) (i32x4.splat (i32.const 0x3f800000))))
        ;; q = eʳ − 1 = r + r²·P(r), P of degree 4 by Horner
        (local.set $q (f32x4.add (f32x4.splat (f32.const 0.04166720062494278))
          (f32x4.mul (local.get $r) (f32x4.add (f32x4.splat (f32.const 0.008366511203348637))
            (f32x4.mul (local.get $r) (f32x4.splat (f32.const 0.0013882509665563703)))))))
        (local.set $q (f32x4.add (f32x4.splat (f32.const 0.4999999701976776))
          (f32x4.mul (local.get $r) (f32x4.add (f32x4.splat (f32.const 0.1666654348373413))
            (f32x4.mul (local.get $r) (local.get $q))))))
        (local.set $q (f32x4.add (local.get $r) (f32x4.mul (f32x4.mul (local.get $r) (local.get $r)) (local.get $q))))
        ;; eˣ − 1 = 2ⁿ·q + (2ⁿ − 1)
        (local.set $em1 (f32x4.add (f32x4.mul (local.get $s) (local.get $q))
          (f32x4.sub (local.get $s) (f32x4.splat (f32.const 1)))))
        ;; y = x > 0 ? λx : λα(eˣ − 1)
        (v128.store (local.get $y) (v128.bitselect
          (f32x4.mul (local.get $v) (f32x4.splat (f32.const 1.0507009873554804934193349852946)))
          (f32x4.mul (local.get $em1) (f32x4.splat (f32.const 1.7580993408473768599402175208123)))
          (local.get $pos)))
        ;; d = x > 0 ? λ : λα·eˣ, with eˣ = 2ⁿ·q + 2ⁿ
        (if (local.get $d)
          (then
            (v128.store (local.get $d) (v128.bitselect
              (f32x4.splat (f32.const 1.0507009873554804934193349852946))
              (f32x4.mul (f32x4.add (f32x4.mul (local.get $s) (local.get $q)) (local.get $s))
                (f32x4.splat (f32.const 1.7580993408473768599402175208123)))
              (local.get $pos)))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br_if $lanes (i32.lt_u (local.get $x) (local.get $end))))))

  ;; The backward pass from the output: dx = g·∂y/∂x with ∂y/∂x = λ where y > 0, else y + λα (= λα·eˣ, as
  ;; TensorFlow's SeluGrad computes it), over n floats (n a multiple of 4; 16-aligned offsets).
  (func (export "grad") (param $g i32) (param $y i32) (param $dx i32) (param $n i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $g) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $g) (local.get $end)))
      (loop $lanes
        (local.set $v (v128.load (local.get $y)))
        (v128.store (local.get $dx) (f32x4.mul (v128.load (local.get $g)) (v128.bitselect
          (f32x4.splat (f32.const 1.0507009873554804934193349852946))
          (f32x4.add (local.get $v) (f32x4.splat (f32.const 1.7580993408473768599402175208123)))
          (f32x4.gt (local.get $v) (f32x4.splat (f32.const 0))))))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
        (br_if $lanes (i32.lt_u (local.get $g) (local.get $end))))))
)

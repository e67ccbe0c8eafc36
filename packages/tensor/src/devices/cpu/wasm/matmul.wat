;; Float32 matrix multiply, C[m×n] (+)= op(A)·op(B), in WebAssembly SIMD (128-bit).
;;
;; The GotoBLAS/BLIS scheme (Goto & van de Geijn, "Anatomy of high-performance matrix multiplication",
;; ACM TOMS 34(3), 2008; Van Zee & van de Geijn, "BLIS", ACM TOMS 41(3), 2015):
;;   for jc in steps of NC over n          B block (KC×NC) packed once per (jc, pc): lives in L2/L3
;;     for pc in steps of KC over k
;;       pack B[pc.., jc..] into NR-wide panels, k-major
;;       for ic in steps of MC over m      A block (MC×KC) packed once per (ic, pc): lives in L2
;;         pack A[ic.., pc..] into MR-tall panels, k-major
;;         for jr in steps of NR           one B panel (KC×NR = 8 KB) stays in L1 ...
;;           for ir in steps of MR         ... while the A panels stream past it
;;             micro-kernel: a 4×8 tile of C in 8 registers, KC rank-1 updates
;;
;; Operands are addressed through byte strides, so transposed operands are read in place by the packing
;; loops (op(A)[i][p] at a + i·ars + p·acs; op(B)[p][j] at b + p·brs + j·bcs), and a caller can hand a
;; row range of C to each thread. Panels are zero-padded at the edges; a partial tile of C is computed
;; into a scratch tile and only its valid part is written back.
;;
;; NOTE: the tile is 4×8 because x64 has 16 SIMD registers: 8 accumulators + 2 B vectors + 4 broadcast A
;; values fit; 6×8 and 4×12 spill in V8 and measured 35-45 % slower. Unrolling k also spilled. With fused
;; multiply-add (below) 6×8, 5×8 and 4×12 still spill: V8 schedules every load of a k step first.
;;
;; Two builds of the multiply-add: each line marked `;; @relaxed:` has a relaxed-SIMD twin that
;; build-wasm.mjs swaps in for the `relaxed` builds: `f32x4.relaxed_madd`, one rounding instead of two
;; (vfmadd231ps on x64 with FMA3, fmla on arm64). The host picks the relaxed build where the engine
;; validates it (Chromium ≥ 114, Node ≥ 22; Node 20 behind --experimental-wasm-relaxed-simd).
(module
  ;; One module, two builds: this memory, or for worker threads (build-wasm.mjs applies the @shared line)
  ;; a shared memory imported from the host, up to 4 GiB.
  (memory (export "memory") 1) ;; @shared: (import "env" "memory" (memory 1 65536 shared))
  ;; Blocking constants; the host reads them to size the packing buffers.
  (global $MR (export "MR") i32 (i32.const 4))
  (global $NR (export "NR") i32 (i32.const 8))
  (global $MC (export "MC") i32 (i32.const 128))
  (global $KC (export "KC") i32 (i32.const 256))
  (global $NC (export "NC") i32 (i32.const 4096))

  ;; C[0..4][0..8] (+)= Σp Ap[p][0..4] ⊗ Bp[p][0..8] over kc ≥ 1 steps. ap, bp: packed panels;
  ;; c: the tile's top-left element; ldc: the row pitch of C in bytes; load: add into C (else overwrite).
  (func $tile4x8 (param $ap i32) (param $bp i32) (param $c i32) (param $ldc i32) (param $kc i32) (param $load i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $a v128)
    (local $end i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local.set $end (i32.add (local.get $ap) (i32.shl (local.get $kc) (i32.const 4))))
    (loop $k
      (local.set $b0 (v128.load (local.get $bp)))
      (local.set $b1 (v128.load offset=16 (local.get $bp)))
      (local.set $a (v128.load32_splat (local.get $ap)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0)))) ;; @relaxed: (local.set $c00 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c00)))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1)))) ;; @relaxed: (local.set $c01 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c01)))
      (local.set $a (v128.load32_splat offset=4 (local.get $ap)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0)))) ;; @relaxed: (local.set $c10 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c10)))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1)))) ;; @relaxed: (local.set $c11 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c11)))
      (local.set $a (v128.load32_splat offset=8 (local.get $ap)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0)))) ;; @relaxed: (local.set $c20 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c20)))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1)))) ;; @relaxed: (local.set $c21 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c21)))
      (local.set $a (v128.load32_splat offset=12 (local.get $ap)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0)))) ;; @relaxed: (local.set $c30 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c30)))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1)))) ;; @relaxed: (local.set $c31 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c31)))
      (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
      (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
      (br_if $k (i32.lt_u (local.get $ap) (local.get $end))))
    (local.set $r1 (i32.add (local.get $c) (local.get $ldc)))
    (local.set $r2 (i32.add (local.get $r1) (local.get $ldc)))
    (local.set $r3 (i32.add (local.get $r2) (local.get $ldc)))
    (if (local.get $load)
      (then
        (local.set $c00 (f32x4.add (local.get $c00) (v128.load (local.get $c))))
        (local.set $c01 (f32x4.add (local.get $c01) (v128.load offset=16 (local.get $c))))
        (local.set $c10 (f32x4.add (local.get $c10) (v128.load (local.get $r1))))
        (local.set $c11 (f32x4.add (local.get $c11) (v128.load offset=16 (local.get $r1))))
        (local.set $c20 (f32x4.add (local.get $c20) (v128.load (local.get $r2))))
        (local.set $c21 (f32x4.add (local.get $c21) (v128.load offset=16 (local.get $r2))))
        (local.set $c30 (f32x4.add (local.get $c30) (v128.load (local.get $r3))))
        (local.set $c31 (f32x4.add (local.get $c31) (v128.load offset=16 (local.get $r3))))))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (v128.store (local.get $r1) (local.get $c10))
    (v128.store offset=16 (local.get $r1) (local.get $c11))
    (v128.store (local.get $r2) (local.get $c20))
    (v128.store offset=16 (local.get $r2) (local.get $c21))
    (v128.store (local.get $r3) (local.get $c30))
    (v128.store offset=16 (local.get $r3) (local.get $c31)))

  ;; Packs a width×kc block into ceil(width/P) panels of kc×P floats, k-major, zero-padded at the edge.
  ;; Element (w, p) of the block is at src + w·ws + p·ks (bytes). P is MR or NR (a multiple of 4).
  ;; Fast paths for a full panel: if its width is contiguous (ws = 4) it is copied 16 bytes at a time; if
  ;; k is contiguous (ks = 4: A not transposed, B transposed) it is transposed 4×4 floats at a time
  ;; (4 loads, 8 shuffles, 4 stores), and the last kc mod 4 steps take the element loop.
  (func $pack (param $src i32) (param $ws i32) (param $ks i32) (param $width i32) (param $kc i32)
      (param $dst i32) (param $P i32)
    (local $w0 i32) (local $rows i32) (local $p i32) (local $r i32) (local $s i32) (local $sr i32)
    (local $g i32) (local $kc4 i32) (local $row i32) (local $out i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $t0 v128) (local $t1 v128)
    (local $t2 v128) (local $t3 v128)
    (loop $panel
      (local.set $rows (select (local.get $P) (i32.sub (local.get $width) (local.get $w0))
        (i32.le_u (i32.add (local.get $w0) (local.get $P)) (local.get $width))))
      (local.set $s (i32.add (local.get $src) (i32.mul (local.get $w0) (local.get $ws))))
      (local.set $p (i32.const 0))
      (if (i32.and (i32.eq (local.get $ws) (i32.const 4)) (i32.eq (local.get $rows) (local.get $P)))
        (then
          (loop $pv
            (local.set $r (i32.const 0))
            (loop $v
              (v128.store (local.get $dst) (v128.load (i32.add (local.get $s) (local.get $r))))
              (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
              (local.set $r (i32.add (local.get $r) (i32.const 16)))
              (br_if $v (i32.lt_u (local.get $r) (i32.shl (local.get $P) (i32.const 2)))))
            (local.set $s (i32.add (local.get $s) (local.get $ks)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br_if $pv (i32.lt_u (local.get $p) (local.get $kc)))))
        (else
          (if (i32.and (i32.eq (local.get $ks) (i32.const 4)) (i32.eq (local.get $rows) (local.get $P)))
            (then
              ;; Transpose: rows w0+4g .. w0+4g+3 at k steps p .. p+3 become four 4-float runs of the panel.
              (local.set $kc4 (i32.and (local.get $kc) (i32.const -4)))
              (block $tdone
                (br_if $tdone (i32.eqz (local.get $kc4)))
                (loop $tp
                  (local.set $g (i32.const 0))
                  (loop $tg
                    (local.set $row (i32.add (i32.add (local.get $s) (i32.shl (local.get $p) (i32.const 2)))
                      (i32.mul (i32.shl (local.get $g) (i32.const 2)) (local.get $ws))))
                    (local.set $v0 (v128.load (local.get $row)))
                    (local.set $v1 (v128.load (i32.add (local.get $row) (local.get $ws))))
                    (local.set $v2 (v128.load (i32.add (local.get $row) (i32.shl (local.get $ws) (i32.const 1)))))
                    (local.set $v3 (v128.load (i32.add (local.get $row) (i32.mul (local.get $ws) (i32.const 3)))))
                    ;; t0 = v0[0] v1[0] v0[1] v1[1], t1 = v0[2] v1[2] v0[3] v1[3]; t2, t3 likewise of v2, v3
                    (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v0) (local.get $v1)))
                    (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v0) (local.get $v1)))
                    (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v2) (local.get $v3)))
                    (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v2) (local.get $v3)))
                    ;; the panel's k step p+q, floats 4g .. 4g+3: rows' element q
                    (local.set $out (i32.add (local.get $dst)
                      (i32.shl (i32.add (i32.mul (local.get $p) (local.get $P)) (i32.shl (local.get $g) (i32.const 2)))
                        (i32.const 2))))
                    (v128.store (local.get $out)
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
                    (local.set $out (i32.add (local.get $out) (i32.shl (local.get $P) (i32.const 2))))
                    (v128.store (local.get $out)
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
                    (local.set $out (i32.add (local.get $out) (i32.shl (local.get $P) (i32.const 2))))
                    (v128.store (local.get $out)
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
                    (local.set $out (i32.add (local.get $out) (i32.shl (local.get $P) (i32.const 2))))
                    (v128.store (local.get $out)
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
                    (local.set $g (i32.add (local.get $g) (i32.const 1)))
                    (br_if $tg (i32.lt_u (i32.shl (local.get $g) (i32.const 2)) (local.get $P))))
                  (local.set $p (i32.add (local.get $p) (i32.const 4)))
                  (br_if $tp (i32.lt_u (local.get $p) (local.get $kc4)))))
              (local.set $dst (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $kc4) (local.get $P)) (i32.const 2))))
              (local.set $s (i32.add (local.get $s) (i32.shl (local.get $kc4) (i32.const 2))))))
          ;; The element loop: edge panels, other strides, and what the transpose left (p from kc4).
          (block $sdone
            (br_if $sdone (i32.ge_u (local.get $p) (local.get $kc)))
            (loop $ps
              (local.set $r (i32.const 0))
              (local.set $sr (local.get $s))
              (loop $e
                (f32.store (local.get $dst)
                  (if (result f32) (i32.lt_u (local.get $r) (local.get $rows))
                    (then (f32.load (local.get $sr)))
                    (else (f32.const 0))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                (local.set $sr (i32.add (local.get $sr) (local.get $ws)))
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
                (br_if $e (i32.lt_u (local.get $r) (local.get $P))))
              (local.set $s (i32.add (local.get $s) (local.get $ks)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $ps (i32.lt_u (local.get $p) (local.get $kc)))))))
      (local.set $w0 (i32.add (local.get $w0) (local.get $P)))
      (br_if $panel (i32.lt_u (local.get $w0) (local.get $width)))))

  ;; C[m×n] (+)= op(A)·op(B) for m, n, k ≥ 1. Strides and pitches are in bytes: op(A)[i][p] at
  ;; a + i·ars + p·acs, op(B)[p][j] at b + p·brs + j·bcs, C[i][j] at c + i·ldc + 4j. acc: add into C.
  ;; pa (MC·KC floats), pb (KC·ceil(min(n, NC)/NR)·NR floats) and tile (MR·NR floats): scratch, 16-aligned.
  (func (export "gemm") (param $a i32) (param $ars i32) (param $acs i32)
      (param $b i32) (param $brs i32) (param $bcs i32) (param $c i32) (param $ldc i32)
      (param $m i32) (param $n i32) (param $k i32) (param $acc i32)
      (param $pa i32) (param $pb i32) (param $tile i32)
    (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32) (local $ic i32) (local $mc i32)
    (local $jr i32) (local $ir i32) (local $load i32) (local $cp i32) (local $ap i32) (local $bp i32)
    (local $rows i32) (local $cols i32) (local $r i32) (local $j i32) (local $q i32) (local $t i32)
    (loop $Ljc
      (local.set $nc (select (global.get $NC) (i32.sub (local.get $n) (local.get $jc))
        (i32.le_u (i32.add (local.get $jc) (global.get $NC)) (local.get $n))))
      (local.set $pc (i32.const 0))
      (loop $Lpc
        (local.set $kc (select (global.get $KC) (i32.sub (local.get $k) (local.get $pc))
          (i32.le_u (i32.add (local.get $pc) (global.get $KC)) (local.get $k))))
        (call $pack
          (i32.add (local.get $b) (i32.add (i32.mul (local.get $pc) (local.get $brs)) (i32.mul (local.get $jc) (local.get $bcs))))
          (local.get $bcs) (local.get $brs) (local.get $nc) (local.get $kc) (local.get $pb) (i32.const 8))
        ;; The first k block overwrites C unless accumulating; later k blocks add to it.
        (local.set $load (i32.or (local.get $acc) (i32.ne (local.get $pc) (i32.const 0))))
        (local.set $ic (i32.const 0))
        (loop $Lic
          (local.set $mc (select (global.get $MC) (i32.sub (local.get $m) (local.get $ic))
            (i32.le_u (i32.add (local.get $ic) (global.get $MC)) (local.get $m))))
          (call $pack
            (i32.add (local.get $a) (i32.add (i32.mul (local.get $ic) (local.get $ars)) (i32.mul (local.get $pc) (local.get $acs))))
            (local.get $ars) (local.get $acs) (local.get $mc) (local.get $kc) (local.get $pa) (i32.const 4))
          (local.set $jr (i32.const 0))
          (loop $Ljr
            (local.set $bp (i32.add (local.get $pb) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 2))))
            (local.set $cols (select (i32.const 8) (i32.sub (local.get $nc) (local.get $jr))
              (i32.le_u (i32.add (local.get $jr) (i32.const 8)) (local.get $nc))))
            (local.set $ir (i32.const 0))
            (loop $Lir
              (local.set $ap (i32.add (local.get $pa) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 2))))
              (local.set $cp (i32.add (local.get $c) (i32.add
                (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $ldc))
                (i32.shl (i32.add (local.get $jc) (local.get $jr)) (i32.const 2)))))
              (local.set $rows (select (i32.const 4) (i32.sub (local.get $mc) (local.get $ir))
                (i32.le_u (i32.add (local.get $ir) (i32.const 4)) (local.get $mc))))
              (if (i32.and (i32.eq (local.get $rows) (i32.const 4)) (i32.eq (local.get $cols) (i32.const 8)))
                (then
                  (call $tile4x8 (local.get $ap) (local.get $bp) (local.get $cp) (local.get $ldc) (local.get $kc)
                    (local.get $load)))
                (else
                  ;; Edge tile: compute into the scratch tile, then write back its valid rows×cols part.
                  (call $tile4x8 (local.get $ap) (local.get $bp) (local.get $tile) (i32.const 32) (local.get $kc)
                    (i32.const 0))
                  (local.set $r (i32.const 0))
                  (loop $er
                    (local.set $j (i32.const 0))
                    (loop $ej
                      (local.set $t (i32.add (local.get $tile) (i32.shl (i32.add (i32.shl (local.get $r) (i32.const 3))
                        (local.get $j)) (i32.const 2))))
                      (local.set $q (i32.add (local.get $cp) (i32.add (i32.mul (local.get $r) (local.get $ldc))
                        (i32.shl (local.get $j) (i32.const 2)))))
                      (f32.store (local.get $q) (f32.add (f32.load (local.get $t))
                        (if (result f32) (local.get $load)
                          (then (f32.load (local.get $q)))
                          (else (f32.const 0)))))
                      (local.set $j (i32.add (local.get $j) (i32.const 1)))
                      (br_if $ej (i32.lt_u (local.get $j) (local.get $cols))))
                    (local.set $r (i32.add (local.get $r) (i32.const 1)))
                    (br_if $er (i32.lt_u (local.get $r) (local.get $rows))))))
              (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
              (br_if $Lir (i32.lt_u (local.get $ir) (local.get $mc))))
            (local.set $jr (i32.add (local.get $jr) (i32.const 8)))
            (br_if $Ljr (i32.lt_u (local.get $jr) (local.get $nc))))
          (local.set $ic (i32.add (local.get $ic) (global.get $MC)))
          (br_if $Lic (i32.lt_u (local.get $ic) (local.get $m))))
        (local.set $pc (i32.add (local.get $pc) (global.get $KC)))
        (br_if $Lpc (i32.lt_u (local.get $pc) (local.get $k))))
      (local.set $jc (i32.add (local.get $jc) (global.get $NC)))
      (br_if $Ljc (i32.lt_u (local.get $jc) (local.get $n))))))

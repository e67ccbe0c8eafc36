/**
 * The drawing canvas: white ink on black with a mouse, finger or pen (pointer events), turned into an
 * MNIST-like image on every stroke (see toMnistPixels). Keyboard users get the Clear button and a test
 * digit drawn for them.
 */
import { toMnistPixels } from './mnist-pixels.ts';

/** A canvas to draw a digit on; `onDraw` gets 784 raw pixels (0..255) after each change. */
export class DrawPad {
  readonly #ctx: CanvasRenderingContext2D;
  #drawing = false;
  #last: { x: number; y: number } | null = null;

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly onDraw: (pixels: Float32Array | null) => void,
  ) {
    this.#ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => {
      canvas.setPointerCapture(e.pointerId);
      this.#drawing = true;
      this.#last = this.#point(e);
      this.#stroke(this.#last);
      e.preventDefault();
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.#drawing) return;
      this.#stroke(this.#point(e));
      e.preventDefault();
    });
    const end = () => {
      this.#drawing = false;
      this.#last = null;
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  #point(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - r.left) * this.canvas.width) / r.width,
      y: ((e.clientY - r.top) * this.canvas.height) / r.height,
    };
  }

  #stroke(p: { x: number; y: number }): void {
    const ctx = this.#ctx;
    const from = this.#last ?? p;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = this.canvas.width / 14;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(p.x + 0.01, p.y);
    ctx.stroke();
    this.#last = p;
    this.onDraw(this.pixels());
  }

  /** The drawing as 784 MNIST-like pixels, or null when it is empty. */
  pixels(): Float32Array | null {
    const { width, height } = this.canvas;
    const rgba = this.#ctx.getImageData(0, 0, width, height).data;
    const ink = new Uint8Array(width * height);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i]; // red channel: white ink on black
    return toMnistPixels(ink, width, height);
  }

  /** Wipes the canvas. */
  clear(): void {
    this.#ctx.fillStyle = '#000';
    this.#ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.onDraw(null);
  }

  /** Shows a 28 × 28 image (raw pixels) scaled up on the canvas. */
  show(pixels: Float32Array): void {
    const img = new ImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = pixels[i];
      img.data.set([v, v, v, 255], 4 * i);
    }
    const small = document.createElement('canvas');
    small.width = 28;
    small.height = 28;
    small.getContext('2d')!.putImageData(img, 0, 0);
    this.#ctx.imageSmoothingEnabled = true;
    this.#ctx.drawImage(small, 0, 0, this.canvas.width, this.canvas.height);
  }
}

// Soft targets at temperature T, computed in plain numbers (ten classes, no engine needed): the
// teacher's and the student's softmax(z / T), the soft loss KL(p_T ‖ q_T), its gradient with
// respect to the student's logits, (q_T − p_T) / T, and both scaled by T² (Hinton et al. 2015).

export interface Example {
  label: string;
  /** What the picture is; the classes are the digits 0–9. */
  description: string;
  /** The true class. */
  target: number;
  teacher: number[];
  student: number[];
}

export const CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** A teacher's logits for two handwritten digits and a half-trained student's logits for the same images. */
export const EXAMPLES: Record<string, Example> = {
  two: {
    label: 'a 2 like a 3 or 7',
    description: 'a handwritten 2 that looks a little like a 3 and a 7',
    target: 2,
    teacher: [1.0, -2.0, 9.0, 4.5, -1.0, 0.5, -1.5, 4.0, 1.5, -0.5],
    student: [0.5, 0.0, 4.0, 0.5, 0.5, 0.0, 0.0, 0.5, 0.5, 0.0],
  },
  seven: {
    label: 'a 7 like a 1',
    description: 'a handwritten 7 whose bar is short, so it looks like a 1',
    target: 7,
    teacher: [-1.0, 5.5, 0.5, 0.0, 1.0, -1.5, -2.0, 8.0, -0.5, 2.0],
    student: [0.0, 0.5, 0.5, 0.5, 0.0, 0.0, 0.0, 3.5, 0.0, 1.0],
  },
};

export const EXAMPLE_KEYS = Object.keys(EXAMPLES);

/** softmax(z / T), computed stably (the largest logit subtracted first). */
export function softmaxT(z: readonly number[], T: number): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp((v - m) / T));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

export interface SoftTargets {
  T: number;
  /** Teacher's and student's distributions at T. */
  p: number[];
  q: number[];
  /** KL(p_T ‖ q_T) in nats. */
  kl: number;
  /** ‖∂KL/∂s‖ for the student's logits s: ‖(q − p) / T‖. */
  gradNorm: number;
  /** Cross-entropy of the student at T = 1 on the true class (the hard loss). */
  hard: number;
  /** Teacher's probability on classes other than the true one, at T. */
  wrongMass: number;
}

export function softTargets(example: Example, T: number): SoftTargets {
  const p = softmaxT(example.teacher, T);
  const q = softmaxT(example.student, T);
  const kl = p.reduce((s, pi, i) => (pi > 0 ? s + pi * Math.log(pi / q[i]!) : s), 0);
  const gradNorm = Math.sqrt(p.reduce((s, pi, i) => s + ((q[i]! - pi) / T) ** 2, 0));
  const hard = -Math.log(softmaxT(example.student, 1)[example.target]!);
  return { T, p, q, kl, gradNorm, hard, wrongMass: 1 - p[example.target]! };
}

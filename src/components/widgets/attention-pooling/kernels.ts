// The kernels the attention-pooling widget offers (names only: no engine import, so the embed
// registry and URL parsing stay tiny).
export type Kernel = 'gaussian' | 'boxcar' | 'epanechnikov';
export const KERNELS: readonly Kernel[] = ['gaussian', 'boxcar', 'epanechnikov'];
export const KERNEL_LABELS: Record<Kernel, string> = {
  gaussian: 'Gaussian',
  boxcar: 'Boxcar',
  epanechnikov: 'Epanechnikov',
};

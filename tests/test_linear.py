"""The one linear learner (``learned.linear``) every trainer calls: it learns what the examples
say, and the same examples give the same weights, in any order of the features and under any
PYTHONHASHSEED."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from quotegraph.learned import linear


def _binary() -> tuple[list[list[str]], list[int]]:
    # the word before a colon: 'said' is a cue, 'the' is not; 'rare' is seen once only
    X = [["bias", "w=said", "next=colon"]] * 20 + [["bias", "w=the", "next=colon"]] * 20 + [["bias", "w=rare"]]
    Y = [1] * 20 + [0] * 20 + [1]
    return X, Y


def _groups() -> list[linear.Group]:
    return [([["bias", "a"], ["bias", "b"], ["bias", "c"]], [0, 1, 0])] * 20 + [([["bias", "b"], ["bias", "c"]], [1, 0])] * 5


def test_fit_logistic_learns_a_separable_feature():
    X, Y = _binary()
    w = linear.fit_logistic(X, Y, epochs=20, lr=0.5)
    assert w["w=said"] > 0 > w["w=the"]
    assert "w=rare" not in w and "bias" in w  # seen once: dropped; the bias always kept
    assert linear.sigmoid(linear.score(w, ["bias", "w=said", "next=colon"])) > 0.9
    assert linear.sigmoid(linear.score(w, ["bias", "w=the", "next=colon"])) < 0.1


def test_fit_choice_learns_which_candidate_wins():
    groups = _groups()
    w = linear.fit_choice(groups, min_count=1)
    assert w["b"] > w["a"] and w["b"] > w["c"]
    # a base score the weights learn on top of: 'a' already far ahead, so 'b' needs less
    based = linear.fit_choice(groups, min_count=1, base=[[5.0, 0.0, 0.0]] * 20 + [[0.0, 0.0]] * 5)
    assert based["b"] > w["b"]


def test_the_same_examples_give_the_same_weights():
    X, Y = _binary()
    assert linear.fit_logistic(X, Y) == linear.fit_logistic([list(reversed(fs)) for fs in X], Y)
    assert linear.fit_logistic(X, Y, seed=1) != linear.fit_logistic(X, Y, seed=2)  # the order is the seed's
    assert linear.fit_choice(_groups(), min_count=1) == linear.fit_choice(_groups(), min_count=1)


def test_weights_do_not_depend_on_the_hash_seed():
    """Set and dict orders of strings change with PYTHONHASHSEED: the weights must not."""
    code = ("import json; from quotegraph.learned import linear; import tests.test_linear as t; "
            "X, Y = t._binary(); print(json.dumps([linear.fit_logistic(X, Y), linear.fit_choice(t._groups(), min_count=1)]))")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    outs = []
    for seed in ("0", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=os.pathsep.join([root, *sys.path]))
        outs.append(subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True, text=True, cwd=root).stdout)
    assert outs[0] == outs[1]
    X, Y = _binary()
    assert json.loads(outs[0]) == [linear.fit_logistic(X, Y), linear.fit_choice(_groups(), min_count=1)]

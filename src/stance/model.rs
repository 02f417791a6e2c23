//! The stance model: gradient-boosted regression trees over the stance features, one
//! tree per class per round, as scikit-learn's `GradientBoostingClassifier` builds
//! them, and an offset per class chosen by cross-validation (the rarest classes need
//! a lower bar than the trees' probabilities give them). `scripts/stance/train.py`
//! writes it to `config/stance_model.toml`; applying it is a walk down each tree and
//! an argmax, which needs no crate. An average of several boosted models is itself
//! such a model (the mean of their initial scores, their leaf values divided by their
//! number), which is how the trainer ships its bagged ensemble.

use serde::Deserialize;

use super::{Features, Stance, FEATURE_NAMES};

#[derive(Debug, Clone, Default)]
pub struct StanceModel {
    classes: Vec<Stance>,
    learning_rate: f64,
    init: Vec<f64>,
    offsets: Vec<f64>,
    trees: Vec<Tree>,
}

/// One regression tree; node 0 is the root.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Tree {
    /// Index into `classes` of the score this tree adds to.
    class: usize,
    /// Feature index tested at each node; -1 marks a leaf.
    feature: Vec<i64>,
    /// A value at or below the threshold goes left.
    threshold: Vec<f64>,
    left: Vec<usize>,
    right: Vec<usize>,
    /// The leaf's contribution (unused at inner nodes).
    value: Vec<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    classes: Vec<String>,
    features: Vec<String>,
    learning_rate: f64,
    init: Vec<f64>,
    /// Added to each class's score before the argmax.
    offsets: Vec<f64>,
    tree: Vec<Tree>,
}

impl StanceModel {
    /// Parses and checks a model file; the error says what does not fit.
    pub fn parse(text: &str) -> Result<StanceModel, String> {
        let file: ModelFile = toml::from_str(text).map_err(|e| e.message().trim().to_string())?;
        if file.features != FEATURE_NAMES {
            return Err(format!(
                "its features do not match this credence's (expected {} features: {}); retrain it with `make train-stance`",
                FEATURE_NAMES.len(),
                FEATURE_NAMES.join(", ")
            ));
        }
        let classes = file
            .classes
            .iter()
            .map(|name| Stance::parse(name).ok_or_else(|| format!("unknown class {name:?}")))
            .collect::<Result<Vec<Stance>, String>>()?;
        if classes.is_empty() || file.init.len() != classes.len() {
            return Err(format!(
                "{} classes but {} initial scores",
                classes.len(),
                file.init.len()
            ));
        }
        if file.offsets.len() != classes.len() {
            return Err(format!(
                "{} classes but {} offsets",
                classes.len(),
                file.offsets.len()
            ));
        }
        for (index, tree) in file.tree.iter().enumerate() {
            tree.check(classes.len())
                .map_err(|reason| format!("tree {}: {reason}", index + 1))?;
        }
        Ok(StanceModel {
            classes,
            learning_rate: file.learning_rate,
            init: file.init,
            offsets: file.offsets,
            trees: file.tree,
        })
    }

    /// The class with the highest score (the first on ties).
    pub fn predict(&self, features: &Features) -> Stance {
        let mut scores: Vec<f64> = self
            .init
            .iter()
            .zip(&self.offsets)
            .map(|(init, offset)| init + offset)
            .collect();
        for tree in &self.trees {
            scores[tree.class] += self.learning_rate * tree.leaf_value(features);
        }
        let best =
            (0..scores.len()).fold(0, |best, k| if scores[k] > scores[best] { k } else { best });
        self.classes[best]
    }
}

impl Tree {
    fn check(&self, classes: usize) -> Result<(), String> {
        let nodes = self.feature.len();
        if nodes == 0 {
            return Err("no nodes".into());
        }
        if [
            self.threshold.len(),
            self.left.len(),
            self.right.len(),
            self.value.len(),
        ]
        .iter()
        .any(|&n| n != nodes)
        {
            return Err("feature, threshold, left, right and value differ in length".into());
        }
        if self.class >= classes {
            return Err(format!("class {} of {classes}", self.class));
        }
        for node in 0..nodes {
            let feature = self.feature[node];
            if feature < 0 {
                continue;
            }
            if feature as usize >= FEATURE_NAMES.len() {
                return Err(format!("node {node}: feature {feature} does not exist"));
            }
            // Children after their parent: every walk ends at a leaf.
            for child in [self.left[node], self.right[node]] {
                if child <= node || child >= nodes {
                    return Err(format!("node {node}: child {child} out of order"));
                }
            }
        }
        Ok(())
    }

    fn leaf_value(&self, features: &Features) -> f64 {
        let mut node = 0;
        while self.feature[node] >= 0 {
            // The trainer compares single-precision features; so must we, or a value
            // on a threshold's edge would take the other branch.
            let x = features[self.feature[node] as usize] as f32 as f64;
            node = if x <= self.threshold[node] {
                self.left[node]
            } else {
                self.right[node]
            };
        }
        self.value[node]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model_text(tree: &str) -> String {
        let features: Vec<String> = FEATURE_NAMES.iter().map(|n| format!("{n:?}")).collect();
        format!(
            "classes = [\"agree\", \"unrelated\"]\nfeatures = [{}]\nlearning_rate = 0.5\ninit = [0.0, 0.1]\noffsets = [0.0, 0.0]\n{tree}",
            features.join(", ")
        )
    }

    /// One stump on the first feature (key recall) for the `agree` score.
    const STUMP: &str = "[[tree]]\nclass = 0\nfeature = [0, -1, -1]\nthreshold = [0.5, 0.0, 0.0]\nleft = [1, 0, 0]\nright = [2, 0, 0]\nvalue = [0.0, -1.0, 1.0]\n";

    #[test]
    fn trees_add_their_leaves_to_their_class_and_the_best_score_wins() {
        let model = StanceModel::parse(&model_text(STUMP)).unwrap();
        let mut features = [0.0; super::super::FEATURE_COUNT];
        assert_eq!(model.predict(&features), Stance::Unrelated);
        features[0] = 0.9;
        assert_eq!(model.predict(&features), Stance::Agree);
        // At the threshold a value goes left, as in the trainer.
        features[0] = 0.5;
        assert_eq!(model.predict(&features), Stance::Unrelated);
    }

    #[test]
    fn offsets_move_the_bar_between_classes() {
        // At key recall 0 the stump gives agree 0.5 * -1.0 against unrelated's 0.1; an
        // offset of 0.7 for agree overturns that.
        let text = model_text(STUMP).replace("offsets = [0.0, 0.0]", "offsets = [0.7, 0.0]");
        let model = StanceModel::parse(&text).unwrap();
        assert_eq!(
            model.predict(&[0.0; super::super::FEATURE_COUNT]),
            Stance::Agree
        );
        let text = model_text(STUMP).replace("offsets = [0.0, 0.0]", "offsets = [0.0]");
        let err = StanceModel::parse(&text).unwrap_err();
        assert_eq!(err, "2 classes but 1 offsets");
    }

    #[test]
    fn a_model_for_other_features_is_refused() {
        let text = model_text(STUMP).replacen("key_recall", "word_overlap", 1);
        let err = StanceModel::parse(&text).unwrap_err();
        assert!(err.contains("features do not match"), "{err}");
    }

    #[test]
    fn a_tree_that_loops_is_refused() {
        let text = model_text(&STUMP.replace("left = [1, 0, 0]", "left = [0, 0, 0]"));
        let err = StanceModel::parse(&text).unwrap_err();
        assert_eq!(err, "tree 1: node 0: child 0 out of order");
    }

    #[test]
    fn the_shipped_model_loads() {
        let model = crate::config::Config::builtin().stance_model().unwrap();
        assert!(!model.trees.is_empty());
        assert_eq!(model.classes.len(), 4);
    }
}

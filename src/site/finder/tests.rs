use super::*;

fn municipality(toml: &str) -> Municipality {
    toml::from_str(toml).expect("a municipality")
}

fn offer_titles(m: &Municipality, answers: &Answers) -> Vec<String> {
    matching(m, answers)
        .into_iter()
        .map(|i| m.offers[i].title.clone())
        .collect()
}

#[test]
fn age_bands_come_from_the_offers_own_limits() {
    let m = municipality(
        r#"name = "X"
[[offers]]
title = "Unge"
age_min = 18
age_max = 29
[[offers]]
title = "Voksne"
age_min = 30
"#,
    );
    let labels: Vec<String> = age_bands(m.offers.iter())
        .into_iter()
        .map(|b| Answer::Age(b).label())
        .collect();
    assert_eq!(labels, ["Under 18 år", "18–29 år", "30 år eller ældre"]);
    let slugs: Vec<String> = age_bands(m.offers.iter())
        .into_iter()
        .map(|b| Answer::Age(b).slug())
        .collect();
    assert_eq!(slugs, ["under-18", "18-29", "fra-30"]);
}

#[test]
fn many_limits_are_merged_into_a_bounded_number_of_bands() {
    let mut toml = String::from("name = \"X\"\n");
    for age in 10..40 {
        toml.push_str(&format!(
            "[[offers]]\ntitle = \"T{age}\"\nage_min = {age}\n"
        ));
    }
    let m = municipality(&toml);
    assert_eq!(age_bands(m.offers.iter()).len(), MAX_AGE_BANDS);
    // Every offer is still reachable from some band.
    for (i, _) in m.offers.iter().enumerate() {
        assert!(
            pages(&m)
                .iter()
                .any(|a| { matches!(step(&m, a), Step::Result { offers } if offers.contains(&i)) })
        );
    }
}

#[test]
fn an_offer_without_the_fact_is_never_excluded() {
    let m = municipality(
        r#"name = "X"
[[offers]]
title = "Uden fakta"
[[offers]]
title = "Alkohol for unge"
substances = ["alcohol"]
age_min = 18
age_max = 24
anonymous = true
"#,
    );
    let answers = Answers::default()
        .with(
            1,
            Answer::Age(AgeBand {
                from: 0,
                to: Some(17),
            }),
        )
        .with(2, Answer::Uses(Uses::Drugs))
        .with(3, Answer::Anonymous(false));
    assert_eq!(offer_titles(&m, &answers), ["Uden fakta"]);
    let anonymous = Answers::default().with(3, Answer::Anonymous(true));
    assert_eq!(offer_titles(&m, &anonymous), ["Alkohol for unge"]);
}

#[test]
fn a_question_whose_answers_change_nothing_is_skipped() {
    // No offer is for relatives only, none has ages, none is anonymous: only the question
    // about substances changes the result.
    let m = municipality(
        r#"name = "X"
[[offers]]
title = "Alkohol"
kind = "advice"
substances = ["alcohol"]
anonymous = true
[[offers]]
title = "Stoffer"
kind = "family"
substances = ["drugs"]
anonymous = true
"#,
    );
    let Step::Ask { question, answers } = step(&m, &Answers::default()) else {
        panic!("a question")
    };
    assert_eq!(question, Question::Uses);
    for (_, next) in answers {
        assert!(matches!(step(&m, &next), Step::Result { .. }));
    }
    assert_eq!(pages(&m).len(), 4);
}

#[test]
fn relatives_offers_are_for_someone_one_knows_and_treatment_for_oneself() {
    let m = municipality(
        r#"name = "X"
[[offers]]
title = "Pårørende"
kind = "relatives"
[[offers]]
title = "Ambulant"
kind = "outpatient"
[[offers]]
title = "Familie"
kind = "family"
"#,
    );
    let me = Answers::default().with(0, Answer::Who(Who::Me));
    let someone = Answers::default().with(0, Answer::Who(Who::Someone));
    assert_eq!(offer_titles(&m, &me), ["Ambulant", "Familie"]);
    assert_eq!(offer_titles(&m, &someone), ["Pårørende", "Familie"]);
    assert_eq!(me.folders(), "mig/");
    assert_eq!(someone.previous(), Some(Answers::default()));
}

#[test]
fn a_combination_no_offer_fits_is_a_gap_named_by_its_answers() {
    let m = municipality(
        r#"name = "X"
substances = ["drugs", "alcohol"]
[[offers]]
title = "Stoffer"
kind = "advice"
substances = ["drugs"]
anonymous = true
[[offers]]
title = "Alkohol"
kind = "other"
substances = ["alcohol"]
anonymous = true
"#,
    );
    let gaps: Vec<String> = gaps(&m).iter().map(Answers::folders).collect();
    assert_eq!(gaps, ["begge/"]);
    // A standard for drugs alone does not ask about alcohol.
    let drugs = municipality(
        r#"name = "X"
substances = ["drugs"]
[[offers]]
title = "Stoffer"
kind = "advice"
anonymous = true
"#,
    );
    assert_eq!(pages(&drugs), [Answers::default()]);
    assert!(pages(&municipality("name = \"X\"")).is_empty());
}

# Reference values for the measure outcomes of `evaluate` (src/evaluate/outcome-measure.ts): the
# evaluation cohort, group values and contrasts, re-derived here from the raw example CSVs and the
# measures' unit tables (written by export-units.ts), with R's glm/lm and sandwich.
#
#   npx tsx tests/reference/evaluate-measures/export-units.ts /tmp/units
#   Rscript tests/reference/evaluate-measures/make-evaluate-measures.R /tmp/units
#
# Writes evaluate-measures.json beside this script (15 significant digits: jsonlite digits = NA).
suppressPackageStartupMessages({ library(sandwich); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
units_dir <- args[1]
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
z <- qnorm(0.975)
# glm's default epsilon (1e-8) leaves coefficients ~1e-8 from the MLE (STATS-CONVENTIONS traps): refit tightly.
tight <- glm.control(epsilon = 1e-14, maxit = 200)
DPY <- 365.25

read_example <- function(name, file) read.csv(file.path("examples", name, file), stringsAsFactors = FALSE, na.strings = c("", "NA"))

# The evaluation cohort (MEASURES.md §15.7): each person's first index event (earliest date, ties by
# index_id) inside an observation period and not after a recorded death; arm PEER or COMPARISON.
cohort <- function(name) {
  ix <- read_example(name, "index_events.csv")
  ix <- ix[order(ix$person_id, ix$index_date, ix$index_id), ]
  first <- ix[!duplicated(ix$person_id), c("person_id", "index_id", "index_date")]
  p <- read_example(name, "persons.csv")
  first <- merge(first, p[, c("person_id", "death_date", "sex", "housing")], by = "person_id")
  first <- first[is.na(first$death_date) | as.Date(first$death_date) >= as.Date(first$index_date), ]
  op <- read_example(name, "observation_periods.csv")
  inside <- vapply(seq_len(nrow(first)), function(i) {
    o <- op[op$person_id == first$person_id[i], ]
    d <- as.Date(first$index_date[i])
    any(as.Date(o$start_date) <= d & d <= as.Date(o$end_date))
  }, logical(1))
  first <- first[inside, ]
  arms <- read_example(name, "arms.csv")
  first <- merge(first, arms[, c("person_id", "arm")], by = "person_id")
  first[first$arm %in% c("PEER", "COMPARISON"), ]
}

hc0 <- function(fit) sandwich::vcovHC(fit, type = "HC0")
coef_ci <- function(fit, V, name, df = NULL, transform = identity, scale = 1) {
  b <- coef(fit)[[name]]; se <- sqrt(V[name, name])
  q <- if (is.null(df)) z else qt(0.975, df)
  p <- if (is.null(df)) 2 * pnorm(-abs(b / se)) else 2 * pt(-abs(b / se), df)
  list(estimate = transform(b) * scale, lower = transform(b - q * se) * scale,
       upper = transform(b + q * se) * scale, p = p)
}
arm_value <- function(fit, V, treated, inv, q = z) {
  eta <- coef(fit)[[1]] + if (treated) coef(fit)[[2]] else 0
  v <- V[1, 1] + if (treated) 2 * V[1, 2] + V[2, 2] else 0
  list(estimate = inv(eta), lower = inv(eta - q * sqrt(v)), upper = inv(eta + q * sqrt(v)))
}
wald_interaction <- function(fit, V) {
  k <- grep(":", names(coef(fit)), fixed = TRUE)
  k <- k[!is.na(coef(fit)[k])]
  b <- coef(fit)[k]; S <- V[k, k, drop = FALSE]
  stat <- as.numeric(t(b) %*% solve(S) %*% b)
  list(statistic = stat, df = length(k), p = pchisq(stat, length(k), lower.tail = FALSE))
}

out <- list(R = R.version.string, sandwich = as.character(packageVersion("sandwich")))

# ---- Randomized example: ED utilization (rate ratio, rate difference, group rates, subgroups by sex)
co <- cohort("synthetic-rct")
ed <- read.csv(file.path(units_dir, "synthetic-rct-ed.csv"), stringsAsFactors = FALSE)
ed <- ed[ed$in_denominator == "true" & !is.na(ed$post_person_days) & ed$post_person_days > 0, ]
ed <- merge(ed, co[, c("person_id", "arm", "sex")], by = "person_id")
ed$peer <- as.numeric(ed$arm == "PEER")
f_rr <- glm(post_visits ~ peer + offset(log(post_person_days)), family = poisson, control = tight, data = ed)
f_rd <- lm(I(post_visits / post_person_days) ~ peer, weights = post_person_days, data = ed)
group_rate <- function(d) {
  f <- glm(post_visits ~ 1 + offset(log(post_person_days)), family = poisson, control = tight, data = d)
  V <- hc0(f); b <- coef(f)[[1]]; se <- sqrt(V[1, 1])
  list(n = nrow(d), estimate = sum(d$post_visits) / sum(d$post_person_days) * DPY,
       lower = exp(b - z * se) * DPY, upper = exp(b + z * se) * DPY)
}
sx <- ed[!is.na(ed$sex), ]
f_int <- glm(post_visits ~ peer * factor(sex) + offset(log(post_person_days)), family = poisson, control = tight, data = sx)
levels_rr <- lapply(sort(unique(sx$sex)), function(s) {
  d <- sx[sx$sex == s, ]
  r <- if (length(unique(d$peer)) == 2 && sum(d$post_visits[d$peer == 1]) > 0 && sum(d$post_visits[d$peer == 0]) > 0) {
    f <- glm(post_visits ~ peer + offset(log(post_person_days)), family = poisson, control = tight, data = d)
    coef_ci(f, hc0(f), "peer", transform = exp)
  } else NULL
  list(level = s, n = nrow(d), nTreated = sum(d$peer), rr = r)
})
out$rct_ed <- list(
  n = nrow(ed), nPeer = sum(ed$peer),
  rateRatio = coef_ci(f_rr, hc0(f_rr), "peer", transform = exp),
  rateDifference = coef_ci(f_rd, hc0(f_rd), "peer", df = nrow(ed) - 2, scale = DPY),
  peer = group_rate(ed[ed$peer == 1, ]), comparison = group_rate(ed[ed$peer == 0, ]),
  sex = list(nMissing = sum(is.na(ed$sex)), levels = levels_rr, interaction = wald_interaction(f_int, hc0(f_int))))

# ---- Randomized example: follow-up within 30 days (clinical) after the first eligible ED visit on or
# after the index date
fu <- read.csv(file.path(units_dir, "synthetic-rct-fua.csv"), stringsAsFactors = FALSE)
fu <- merge(fu, co[, c("person_id", "arm", "index_date")], by = "person_id")
fu <- fu[fu$visit_date >= as.numeric(as.Date(fu$index_date)) & fu$in_denominator == "true", ]
fu <- fu[order(fu$person_id, fu$visit_date), ]
fu <- fu[!duplicated(fu$person_id) & !is.na(fu$fua_30_clinical), ]
fu$y <- as.numeric(fu$fua_30_clinical == "true")
fu$peer <- as.numeric(fu$arm == "PEER")
f_fl <- lm(y ~ peer, data = fu)
f_fp <- glm(y ~ peer, family = poisson, control = tight, data = fu)
out$rct_fua <- list(n = nrow(fu), nPeer = sum(fu$peer),
  riskDifference = coef_ci(f_fl, hc0(f_fl), "peer", df = nrow(fu) - 2),
  riskRatio = coef_ci(f_fp, hc0(f_fp), "peer", transform = exp))

# ---- Randomized example: retention on MOUD at day 180 (risk difference, risk ratio, group proportions)
mr <- read.csv(file.path(units_dir, "synthetic-rct-moud-retention.csv"), stringsAsFactors = FALSE)
mr <- mr[mr$in_denominator == "true" & !is.na(mr$retained_180), ]
mr$y <- as.numeric(mr$retained_180 == "true")
mr <- merge(mr, co[, c("person_id", "arm")], by = "person_id")
mr$peer <- as.numeric(mr$arm == "PEER")
f_lp <- lm(y ~ peer, data = mr)
f_po <- glm(y ~ peer, family = poisson, control = tight, data = mr)
f_lo <- glm(y ~ peer, family = binomial, control = tight, data = mr)
out$rct_moud_retention <- list(
  n = nrow(mr), nPeer = sum(mr$peer),
  riskDifference = coef_ci(f_lp, hc0(f_lp), "peer", df = nrow(mr) - 2),
  riskRatio = coef_ci(f_po, hc0(f_po), "peer", transform = exp),
  peer = arm_value(f_lo, hc0(f_lo), TRUE, plogis), comparison = arm_value(f_lo, hc0(f_lo), FALSE, plogis))

# ---- Randomized example: change in BARC-10 from intake to 6 months (mean difference, group means)
first_wave <- function(name, wave) {
  rc <- read.csv(file.path(units_dir, paste0(name, "-recovery-capital.csv")), stringsAsFactors = FALSE)
  rc <- rc[rc$in_denominator == "true" & rc$wave == wave, ]
  rc[!duplicated(rc$person_id), ]
}
rc <- first_wave("synthetic-rct", "M6")
rc <- rc[!is.na(rc$total) & !is.na(rc$baseline_total), ]
rc <- merge(rc, co[, c("person_id", "arm")], by = "person_id")
rc$peer <- as.numeric(rc$arm == "PEER")
rc$chg <- rc$total - rc$baseline_total
f_md <- lm(chg ~ peer, data = rc)
out$rct_recovery_capital <- list(
  n = nrow(rc), nPeer = sum(rc$peer),
  meanDifference = coef_ci(f_md, hc0(f_md), "peer", df = nrow(rc) - 2),
  peer = arm_value(f_md, hc0(f_md), TRUE, identity), comparison = arm_value(f_md, hc0(f_md), FALSE, identity))

# ---- Observational example, pre/post in the peer arm: BARC-10 (paired t) and ED visits (rate ratio)
co2 <- cohort("synthetic-ed")
peer_ids <- co2$person_id[co2$arm == "PEER"]
rc2 <- first_wave("synthetic-ed", "M6")
rc2 <- rc2[rc2$person_id %in% peer_ids & !is.na(rc2$total) & !is.na(rc2$baseline_total), ]
tt <- t.test(rc2$total, rc2$baseline_total, paired = TRUE)
ed2 <- read.csv(file.path(units_dir, "synthetic-ed-ed.csv"), stringsAsFactors = FALSE)
ed2 <- ed2[ed2$in_denominator == "true" & !is.na(ed2$post_person_days) & ed2$post_person_days > 0, ]
ed2 <- merge(ed2, co2[, c("person_id", "arm")], by = "person_id")
pp <- ed2[ed2$arm == "PEER" & !is.na(ed2$pre_person_days) & ed2$pre_person_days > 0, ]
long <- data.frame(person = c(pp$person_id, pp$person_id), after = rep(c(0, 1), each = nrow(pp)),
                   y = c(pp$pre_visits, pp$post_visits), t = c(pp$pre_person_days, pp$post_person_days))
f_pp <- glm(y ~ after + offset(log(t)), family = poisson, control = tight, data = long)
V_pp <- sandwich::vcovCL(f_pp, cluster = ~person, type = "HC0")
out$ed_prepost <- list(
  recoveryCapital = list(n = nrow(rc2), estimate = unname(tt$estimate), lower = tt$conf.int[1],
                         upper = tt$conf.int[2], statistic = unname(tt$statistic), p = tt$p.value),
  edVisits = c(list(n = nrow(pp)), coef_ci(f_pp, V_pp, "after", transform = exp)))

# ---- Observational example, unweighted difference in differences: ED visits and BARC-10
dd <- ed2[!is.na(ed2$pre_person_days) & ed2$pre_person_days > 0, ]
dl <- data.frame(person = c(dd$person_id, dd$person_id), peer = rep(as.numeric(dd$arm == "PEER"), 2),
                 post = rep(c(0, 1), each = nrow(dd)), y = c(dd$pre_visits, dd$post_visits),
                 t = c(dd$pre_person_days, dd$post_person_days))
dl$rate <- dl$y / dl$t * DPY
f_da <- lm(rate ~ peer * post, weights = t, data = dl)
f_dr <- glm(y ~ peer * post + offset(log(t)), family = poisson, control = tight, data = dl)
rcd <- first_wave("synthetic-ed", "M6")
rcd <- merge(rcd[!is.na(rcd$total) & !is.na(rcd$baseline_total), ], co2[, c("person_id", "arm")], by = "person_id")
rl <- data.frame(person = c(rcd$person_id, rcd$person_id), peer = rep(as.numeric(rcd$arm == "PEER"), 2),
                 post = rep(c(0, 1), each = nrow(rcd)), y = c(rcd$baseline_total, rcd$total))
f_rc <- lm(y ~ peer * post, data = rl)
cl <- function(f, d) sandwich::vcovCL(f, cluster = d$person, type = "HC0")
out$ed_did <- list(
  edVisits = list(n = nrow(dd), absolute = coef_ci(f_da, cl(f_da, dl), "peer:post", df = nrow(dl) - 4),
                  relative = coef_ci(f_dr, cl(f_dr, dl), "peer:post", transform = exp)),
  recoveryCapital = list(n = nrow(rcd), absolute = coef_ci(f_rc, cl(f_rc, rl), "peer:post", df = nrow(rl) - 4)))

# ---- Observational example, weighted design (ATT weights from export-units.ts): ED visits, BARC-10 change
# (weights fitted per outcome among the people analysed for it)
w <- read.csv(file.path(units_dir, "synthetic-ed-weights-ed.csv"), stringsAsFactors = FALSE)
ew <- merge(ed2, w, by = "person_id")
ew <- ew[ew$weight > 0, ]
ew$peer <- as.numeric(ew$arm == "PEER")
f_wrr <- glm(post_visits ~ peer + offset(log(post_person_days)), family = quasipoisson, control = tight,
             weights = weight, data = ew)
w_rc <- read.csv(file.path(units_dir, "synthetic-ed-weights-rc.csv"), stringsAsFactors = FALSE)
rw <- merge(rcd, w_rc, by = "person_id")
rw <- rw[rw$weight > 0, ]
rw$peer <- as.numeric(rw$arm == "PEER")
rw$chg <- rw$total - rw$baseline_total
f_wmd <- lm(chg ~ peer, weights = weight, data = rw)
out$ed_weighted <- list(
  edVisits = c(list(n = nrow(ew)), coef_ci(f_wrr, hc0(f_wrr), "peer", transform = exp)),
  recoveryCapital = c(list(n = nrow(rw)), coef_ci(f_wmd, hc0(f_wmd), "peer", df = nrow(rw) - 2)))

writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
           file.path(here, "evaluate-measures.json"))
cat("wrote", file.path(here, "evaluate-measures.json"), "\n")

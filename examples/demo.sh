#!/usr/bin/env bash
# examples/demo.sh [CASEWORK] - walk the sample case through all eight
# phases of the standard workflow on a scratch database, showing each
# command, then print the session's log.  `make demo` runs it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cw=${1:-$here/../build/casework}
work=$(mktemp -d -t casework-demo-XXXXXX)
trap 'rm -rf "$work"' EXIT
export CASEWORK_DB="$work/demo.db"
unset CASEWORK_SESSION

# show a command, then run it; `may_refuse` lets exit 3 through
run() {
	printf '\n$ casework'
	printf ' %q' "$@"
	printf '\n'
	"$cw" --as demo "$@"
}
may_refuse() {
	local rc=0
	run "$@" 2>&1 || rc=$?
	[ "$rc" -eq 3 ] || { echo "demo: expected a refusal (exit 3), got $rc" >&2; exit 1; }
}

run init
run case import "$here/cases/school-attendance-year8.json"
run start school-attendance-year8 --student Ana

# 1 preparation
may_refuse advance
run check case-file-reviewed "Read the head of year's referral and the attendance record: 78% this term, most absences on Mondays."
run objective add "Find out what changed at home this term"
run check environment-arranged "Booked the quiet room next to the library for a period when Maya has art, so she misses no lesson she likes."
run advance

# 2 introduction
run check introduced-self "Told Maya my name and that I am the school's social worker, there to help with things outside lessons."
run check purpose-explained "Explained we are meeting because she has missed some Mondays and I want to understand, not to tell her off."
run check confidentiality-explained "Said what she tells me stays private unless someone is at risk of harm, and that I would tell her first."
run advance

# 3 exploration
run note --tag exploration "Mum started night shifts after the separation; on Mondays she sleeps till noon."
run note --tag exploration "Maya gets her brother Leo, 6, ready and walks him to school, then feels too late to go in."
run note --tag exploration "She fell out with two friends at the start of term and dreads the Monday form period."
run note --tag strength "Loves art; her grandmother lives ten minutes away and they are close."
run advance

# 4 assessment
run note --tag need "Support as a young carer so that Monday mornings do not fall on her."
run choose risk-level medium "No harm disclosed, but a 13-year-old carrying a parent's duties and missing school is at risk of falling behind."
run advance

# 5 goal setting
run goal add --term short --measure "attends 9 of 10 school days for four weeks" "Get back to school every day, Mondays too"
run check goals-agreed "Read the goal back to Maya in her own words, 'be in on Mondays', and she chose the four-week check."
run advance

# 6 intervention
run intervention add G1 --type coordination "Ask grandmother to take Leo to school on Mondays; agreed with Mum by phone"
run advance

# 7 evaluation: Mondays still slip, so back to intervention
run evaluation add G1 --outcome partial "8 of 10 days; two Mondays missed when grandmother was ill"
run revisit intervention --reason "Mondays still missed when grandmother cannot come"
run intervention add G1 --type referral "Referral to the young carers' service for a back-up plan"
run advance
run evaluation add G1 --outcome achieved "10 of 10 days over the last four weeks"
run advance

# 8 termination
run check progress-reviewed "Went through the attendance chart with Maya; she pointed out the full weeks herself."
run check next-steps "Young carers' group on Thursdays; form tutor checks in on Mondays; she can drop in any time."
run referral add "Young carers' service, Thursday group"
run check closing-summary "Attendance is back to 100% for four weeks; the family has a back-up plan for Mondays."
# a reflection in Gibbs' six stages closes the work
run reflect description "Over four meetings Maya and I traced her missed Mondays to caring for Leo, planned with her grandmother and checked the result."
run reflect feelings "I felt protective when Maya went quiet about home, and worried that pushing would make her shut down."
run reflect evaluation "Using her own words for the goal kept her involved; I was slow to ask about caring duties at home."
run reflect analysis "A strengths-based approach fitted: her grandmother was the resource, and young-carer research explains the hidden load."
run reflect conclusion "Asking about roles at home in the first meeting would have found the cause two weeks sooner."
run reflect action-plan "Next time I will ask every young person who looks after whom at home, and bring this case to supervision."
run advance
run debrief

# an instructor reads the log, scores a phase and comments on one entry
instructor() {
	printf '\n$ casework --as instructor'
	printf ' %q' "$@"
	printf '\n'
	"$cw" --as instructor "$@"
}
instructor feedback --phase goal-setting --score 4 --criterion client-voice "The goal is in Maya's own words: be in on Mondays."
instructor feedback --event 25 "Good call to revisit: the evaluation showed the plan only half worked."
run status
run log
run report
run verify

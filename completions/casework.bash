# bash completion for casework.  Every word comes from the program itself
# (`casework __complete`, which reads the command table and the database),
# so nothing is listed here.  Installed by `make install`; to try it from
# the source tree: source completions/casework.bash

_casework() {
	local -a words=() reply=()
	local i raw=${COMP_WORDS[COMP_CWORD]} IFS=$'\n'

	# bash splits "--color=al" at "="; put such words back together
	for ((i = 1; i <= COMP_CWORD; i++)); do
		if ((${#words[@]})) && [[ ${COMP_WORDS[i]} == = || ${COMP_WORDS[i - 1]} == = ]]; then
			words[${#words[@]} - 1]+=${COMP_WORDS[i]}
		else
			words+=("${COMP_WORDS[i]}")
		fi
	done
	reply=($("${COMP_WORDS[0]}" __complete -- "${words[@]}" 2>/dev/null))
	if [[ ${reply[0]-} == :files ]]; then
		compopt -o default 2>/dev/null
		COMPREPLY=()
		return
	fi
	# and give bash back only the part after the "=" it split off
	if [[ $raw == = ]]; then
		reply=("${reply[@]/#*=/=}")
	elif ((COMP_CWORD > 1)) && [[ ${COMP_WORDS[COMP_CWORD - 1]} == = ]]; then
		reply=("${reply[@]#*=}")
	fi
	COMPREPLY=("${reply[@]}")
}
complete -F _casework casework

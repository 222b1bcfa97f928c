import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST", filter_dict={"model": ["gpt-4o"]})

llm_config = {
    "config_list": config_list,
    "cache_seed": None,   # turned off while tweaking prompts
    "temperature": 0,
}

tutor = autogen.AssistantAgent("tutor", llm_config=llm_config,
                               system_message="Explain step by step, then say TERMINATE.")
student = autogen.UserProxyAgent("student", human_input_mode="NEVER", code_execution_config=False,
                                 is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
                                 max_consecutive_auto_reply=3)

# re-run the same evaluation set on every prompt edit
for question in open("eval_questions.txt"):
    student.initiate_chat(tutor, message=question.strip(), max_turns=2)

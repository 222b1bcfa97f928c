import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST", filter_dict={"tags": ["gpt-4o"]})
gpt4_config = {"cache_seed": 42, "temperature": 0, "config_list": config_list, "timeout": 120}

initializer = autogen.UserProxyAgent(name="Init", code_execution_config=False)
coder = autogen.AssistantAgent(name="Retrieve_Action_1", llm_config=gpt4_config,
    system_message="You are the Coder. Write python code to retrieve the paper from arxiv.")
executor = autogen.UserProxyAgent(
    name="Retrieve_Action_2",
    system_message="Executor. Execute the code written by the Coder and report the result.",
    human_input_mode="NEVER",
    code_execution_config={"last_n_messages": 3, "work_dir": "paper", "use_docker": False},
)
scientist = autogen.AssistantAgent(name="Research_Action_1", llm_config=gpt4_config,
    system_message="You are the Scientist. Categorize the papers. Reply TERMINATE at the end.")


def state_transition(last_speaker, groupchat):
    messages = groupchat.messages
    if last_speaker is initializer:
        return coder
    elif last_speaker is coder:
        return executor
    elif last_speaker is executor:
        if messages[-1]["content"] == "exitcode: 1":
            return coder
        return scientist
    elif last_speaker is scientist:
        return None


groupchat = autogen.GroupChat(
    agents=[initializer, coder, executor, scientist],
    messages=[],
    max_round=20,
    speaker_selection_method=state_transition,
)
manager = autogen.GroupChatManager(
    groupchat=groupchat,
    llm_config=gpt4_config,
    is_termination_msg=lambda x: "TERMINATE" in (x.get("content") or ""),
)

initializer.initiate_chat(manager, message="Topic: LLM applications papers from last week.")

import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
llm_config = {"config_list": config_list, "cache_seed": 42, "temperature": 0}

def is_done(msg):
    return "APPROVED" in (msg.get("content") or "")

writer = autogen.AssistantAgent("writer", llm_config=llm_config,
    system_message="Write the release notes. Revise on feedback.")
reviewer = autogen.AssistantAgent("reviewer", llm_config=llm_config,
    system_message="Review the notes. Reply APPROVED when they are ready.")
pm = autogen.UserProxyAgent("pm", human_input_mode="TERMINATE", code_execution_config=False,
                            is_termination_msg=is_done)

groupchat = autogen.GroupChat(
    agents=[pm, writer, reviewer],
    messages=[],
    max_round=6,
    speaker_selection_method="round_robin",
)
manager = autogen.GroupChatManager(groupchat=groupchat, llm_config=llm_config, is_termination_msg=is_done)

pm.initiate_chat(manager, message="Release notes for v2.3: new export API, faster sync, 14 bug fixes.")

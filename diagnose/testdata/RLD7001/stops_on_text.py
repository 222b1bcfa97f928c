import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
llm_config = {"config_list": config_list, "cache_seed": 42}
planner = autogen.AssistantAgent("planner", llm_config=llm_config)
coder = autogen.AssistantAgent("coder", llm_config=llm_config)
admin = autogen.UserProxyAgent(
    "admin",
    human_input_mode="NEVER",
    code_execution_config=False,
    is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
)

# An agent stops the chat on TERMINATE: the 40-round cap is a backstop, the selector cost a note.
groupchat = autogen.GroupChat(agents=[admin, planner, coder], messages=[], max_round=40)  # want RLD7001 "a termination check usually ends it sooner"
manager = autogen.GroupChatManager(groupchat=groupchat, llm_config=llm_config)
admin.initiate_chat(manager, message="Plan and write a CLI.")

llm_config = {"config_list": config_list, "cache_seed": 42, "temperature": 0}

    coder = AssistantAgent(name="coder", llm_config=llm_config)
    tester = UserProxyAgent(
        name="tester",
        human_input_mode="NEVER",
        max_consecutive_auto_reply=3,
        is_termination_msg=lambda x: x.get("content", "").rstrip().endswith("TERMINATE"),
        code_execution_config={"work_dir": "tests", "use_docker": True},
    )

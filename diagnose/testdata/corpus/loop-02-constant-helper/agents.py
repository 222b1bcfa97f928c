from autogen import AssistantAgent, UserProxyAgent, config_list_from_json

MAX_AUTO = 60
config_list = config_list_from_json(env_or_file="OAI_CONFIG_LIST")
base_cfg = dict(config_list=config_list, temperature=0.2, cache_seed=7)


def build_pair(role_prompt, workdir):
    coder = AssistantAgent(
        name="coder",
        system_message=role_prompt,
        llm_config=base_cfg,
    )
    runner = UserProxyAgent(
        name="runner",
        human_input_mode="NEVER",
        max_consecutive_auto_reply=MAX_AUTO,
        code_execution_config={"work_dir": workdir, "use_docker": False},
    )
    return coder, runner


if __name__ == "__main__":
    coder, runner = build_pair("You write Python that plots stock prices.", "out")
    runner.initiate_chat(coder, message="Plot NVDA and TSLA YTD gains and save to ytd.png")

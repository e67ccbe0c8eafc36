console.log('apps/bench is not there yet: the benchmark lands with issue 5.');
